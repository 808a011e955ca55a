using System.ComponentModel.DataAnnotations;

namespace WabaOrchestrator.Sandbox;

/// <summary>Settings under <c>Sandbox:*</c>.</summary>
public sealed class SandboxOptions
{
    public const string SectionName = "Sandbox";

    /// <summary>Time between two automatic deployment state transitions.</summary>
    public TimeSpan StepDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Time a new or updated template stays PENDING before review.</summary>
    public TimeSpan TemplateReviewDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Minimum time between two codes of one deployment; an earlier resend-otp is 429 <c>throttled</c>.</summary>
    public TimeSpan ResendCooldown { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Deployments kept in memory. Past it the oldest DELETED or ERROR deployments are forgotten
    /// first, then the oldest of all, so the sandbox never grows without bound.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxDeployments { get; set; } = 10_000;

    /// <summary>Applications whose JWTs are accepted, in addition to those registered at run time.</summary>
    public List<SandboxApplication> Applications { get; set; } = [];

    public InboundSmsOptions InboundSms { get; set; } = new();

    /// <summary>
    /// Where the sandbox keeps its state (<c>sandbox.db</c>) so that it survives a restart, kill -9 included; unset
    /// (the default) keeps everything in memory and touches no file.
    /// </summary>
    public string? DataDirectory { get; set; }
}

public sealed class SandboxApplication
{
    [Required]
    public string ApplicationId { get; set; } = "";

    /// <summary>PEM-encoded RSA public key.</summary>
    [Required]
    public string PublicKey { get; set; } = "";
}

/// <summary>Where the sandbox delivers OTPs sent by SMS, signed as Vonage signs webhooks.</summary>
public sealed class InboundSmsOptions
{
    public Uri? WebhookUrl { get; set; }

    public string? SignatureSecret { get; set; }

    /// <summary>The account api_key: carried in the signed-webhook JWT and in every deployment's <c>api_key</c>.</summary>
    public string ApiKey { get; set; } = "sandbox";

    /// <summary>
    /// How long an undelivered code keeps being retried (a non-2xx answer or a transport error), as Vonage retries
    /// an unacknowledged inbound SMS for 24 hours.
    /// </summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Deliveries tried per code at most, on top of <see cref="RetryFor"/>; unset = no cap.</summary>
    [Range(1, 1_000_000)]
    public int? MaxAttempts { get; set; }

    /// <summary>Wait before the first retry; it doubles for each further one, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an SMS takes to arrive: the wait between a code being sent and its first delivery attempt.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;
}
