namespace WabaOrchestrator.Bench;

/// <summary>
/// Vonage calls made by a set of onboardings, from the difference of two snapshots of the sandbox's own counters.
/// </summary>
internal sealed class CallCounts
{
    /// <summary>
    /// The least a perfect client needs for one SMS onboarding with a profile and no photo, from the provisioning spec
    /// (/work/shared/specs/whatsapp-provisioning-api.txt) and docs/onboarding.md:
    /// 1 provision (its 202 says INITIALIZING, nothing more);
    /// 1 GET to observe CODE_SENT: nothing else announces it (a voice code never reaches us; ERROR, e.g. an invalid
    ///   certificate, only shows there);
    /// 1 verify (its 201 says CODE_VERIFIED, so no GET is needed for that state);
    /// 1 GET to observe READY: FINALIZING to READY is announced nowhere else, and the profile needs READY;
    /// 1 profile PATCH. No photo is asked for, no resend is needed (the first code arrives), nothing is deleted.
    /// </summary>
    public const double Minimum = 5;

    private const string StatusGet = "GET /v0.1/whatsapp-manager/deployments/{deployment_id}";

    private long _calls;
    private long _gets;
    private long _onboardings;

    public double PerOnboarding => _onboardings == 0 ? double.NaN : (double)_calls / _onboardings;

    public double GetsPerOnboarding => _onboardings == 0 ? double.NaN : (double)_gets / _onboardings;

    public void Add(Dictionary<string, Dictionary<string, long>> before, Dictionary<string, Dictionary<string, long>> after, int onboardings)
    {
        _onboardings += onboardings;
        foreach (var (operation, byStatus) in after)
        {
            var previous = before.GetValueOrDefault(operation);
            var made = byStatus.Sum(s => s.Value - (previous?.GetValueOrDefault(s.Key) ?? 0));
            _calls += made;
            if (operation == StatusGet)
            {
                _gets += made;
            }
        }
    }
}
