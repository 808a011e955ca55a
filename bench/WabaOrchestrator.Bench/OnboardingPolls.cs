namespace WabaOrchestrator.Bench;

/// <summary>
/// Vonage calls per onboarding when Vonage takes its time: with a sandbox step of 100 ms (CODE_SENT 3 steps after the
/// provisioning, READY 2 steps after the verify) the poll schedule decides how many status GETs an onboarding costs. Each
/// schedule runs on a host of its own, since the settings are fixed when an onboarding starts.
/// </summary>
internal static class OnboardingPolls
{
    public const int Onboardings = 16;
    public static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    /// <summary>The workflow's backoff alone, as in docs/onboarding.md: 50 ms doubling to 400 ms.</summary>
    public static readonly Dictionary<string, string> BackoffOnly = new()
    {
        ["PollInterval"] = "00:00:00.050",
        ["MaxPollInterval"] = "00:00:00.400",
    };

    /// <summary>The first GET of each phase at the usual time (half a step of slack: the sandbox's timers fire a little late too), then the backoff.</summary>
    public static readonly Dictionary<string, string> ExpectedTimes = new(BackoffOnly)
    {
        ["ExpectedCodeSentAfter"] = "00:00:00.350",
        ["ExpectedReadyAfter"] = "00:00:00.250",
    };

    /// <summary>Calls per onboarding and onboardings that did not reach READY with their profile.</summary>
    public static async Task<(double CallsPerOnboarding, double GetsPerOnboarding, int Failures)> MeasureAsync(
        IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        await using var host = await OnboardingBenchHost.StartAsync(Step, settings, cancellationToken);
        var before = await host.StatsAsync(cancellationToken);
        var runs = await Task.WhenAll(Enumerable.Range(0, Onboardings).Select(_ => host.RunDurableAsync("44", OnboardingBenchHost.NextNumber(), cancellationToken)));
        var counts = new CallCounts();
        counts.Add(before, await host.StatsAsync(cancellationToken), runs.Length);
        return (counts.PerOnboarding, counts.GetsPerOnboarding, runs.Count(r => !r.Ok));
    }
}
