using System.ComponentModel.DataAnnotations;
using System.Text;

namespace WabaOrchestrator.Onboarding;

/// <summary>
/// Settings under <c>Onboarding:*</c>: the defaults of every onboarding's timings (a request may override the OTP
/// ones within the bounds below). Short values let tests and demos run the whole flow in seconds.
/// </summary>
public sealed class OnboardingOptions : IValidatableObject
{
    public const string SectionName = "Onboarding";

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan OtpWindow { get; set; } = TimeSpan.FromMinutes(5);

    [Range(0, 20)]
    public int MaxResends { get; set; } = 3;

    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>
    /// Tries of one Vonage step (provision, verify, profile…) on durable timers, on top of the client's own quick
    /// retries: a 5xx on a POST is never repeated by the client (it may have been processed), only here, after the
    /// step has checked what Vonage already did.
    /// </summary>
    [Range(1, 20)]
    public int VonageAttempts { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long Vonage usually takes from the provisioning to CODE_SENT. Set, the first status poll comes then instead of
    /// a backoff series from <see cref="PollInterval"/>: fewer GETs against a rate-limited API.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan? ExpectedCodeSentAfter { get; set; }

    /// <summary>How long Vonage usually takes from a verified code to READY (through FINALIZING); as above.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan? ExpectedReadyAfter { get; set; }

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan PhaseTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Delete the Vonage deployment when an onboarding fails, so the number can be tried again.</summary>
    public bool DeleteDeploymentOnFailure { get; set; } = true;

    /// <summary>Bounds of a request's <c>otp</c> overrides.</summary>
    public OtpLimits Limits { get; set; } = new();

    public CallbackOptions Callbacks { get; set; } = new();

    /// <summary>The settings a new onboarding runs with: these defaults, overridden by the request's valid <c>otp</c> values.</summary>
    public WorkflowSettings Resolve(OtpSettings? otp) => new()
    {
        OtpWindow = otp?.Window ?? OtpWindow,
        MaxResends = otp?.MaxResends ?? MaxResends,
        MaxAttempts = otp?.MaxAttempts ?? MaxAttempts,
        VonageAttempts = VonageAttempts,
        PollInterval = PollInterval,
        MaxPollInterval = MaxPollInterval < PollInterval ? PollInterval : MaxPollInterval,
        ExpectedCodeSentAfter = ExpectedCodeSentAfter,
        ExpectedReadyAfter = ExpectedReadyAfter,
        PhaseTimeout = PhaseTimeout,
        DeleteDeploymentOnFailure = DeleteDeploymentOnFailure,
        CallbacksBesideSteps = true,
        FinalCallbackWait = Callbacks.FinalWait,
    };

    /// <summary>
    /// ValidateDataAnnotations checks only this object's own properties: the ranges of Limits and Callbacks are checked
    /// here, so a value out of range stops the start as every other setting does.
    /// </summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (section, nested) in new (string, object)[] { (nameof(Limits), Limits), (nameof(Callbacks), Callbacks) })
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(nested, new ValidationContext(nested), results, validateAllProperties: true);
            foreach (var result in results)
            {
                yield return new ValidationResult(result.ErrorMessage, [.. result.MemberNames.Select(member => $"{section}:{member}")]);
            }
        }
    }
}

public sealed class OtpLimits
{
    public TimeSpan MinWindow { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan MaxWindow { get; set; } = TimeSpan.FromHours(1);

    public int MaxResends { get; set; } = 10;

    public int MaxAttempts { get; set; } = 10;
}

/// <summary>Signed status callbacks to a caller's <c>callback_url</c>.</summary>
public sealed class CallbackOptions
{
    /// <summary>
    /// Callbacks go out beside the steps, in stage order; once an onboarding has ended, its instance waits at most this
    /// long for those still queued (a slow or dead endpoint) before it completes and gives up on them.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FinalWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>HMAC key for <c>X-Waba-Signature</c>; callbacks are refused at start while it is unset.</summary>
    public string? SigningSecret { get; set; }

    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Call <c>http://</c> URLs too; off, only https (the signature proves the sender, not the privacy of the body).</summary>
    public bool AllowHttp { get; set; }

    /// <summary>
    /// Let callbacks reach loopback, private (RFC 1918, CGNAT), link-local and unique-local addresses, e.g. a receiver on
    /// the developer's own machine. Cloud metadata, multicast, unspecified and reserved addresses stay blocked.
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>Host names callbacks may go to (<c>hooks.example.com</c>, or <c>*.example.com</c> for any name under it); empty = any public host.</summary>
    public IList<string> AllowedHosts { get; } = [];

    internal byte[]? SigningSecretBytes => string.IsNullOrEmpty(SigningSecret) ? null : Encoding.UTF8.GetBytes(SigningSecret);
}
