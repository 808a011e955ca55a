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

    /// <summary>Applications whose JWTs are accepted, in addition to those registered at run time.</summary>
    public List<SandboxApplication> Applications { get; set; } = [];

    public InboundSmsOptions InboundSms { get; set; } = new();
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

    /// <summary>The account api_key carried in the signed-webhook JWT.</summary>
    public string ApiKey { get; set; } = "sandbox";
}
