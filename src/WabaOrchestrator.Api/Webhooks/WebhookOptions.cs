using System.ComponentModel.DataAnnotations;

namespace WabaOrchestrator.Api.Webhooks;

/// <summary>
/// Settings of the inbound-SMS webhook, under <c>Webhooks:*</c>. The signed-webhook secret is Vonage's account
/// signature secret, read from <c>Vonage:SignatureSecret</c> (where the Vonage settings live) unless set here.
/// </summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>HS256 secret of Vonage's signed webhooks (<c>Authorization: Bearer</c>); without it every delivery is refused.</summary>
    public string? SignatureSecret { get; set; }

    /// <summary>How far a webhook's <c>iat</c> may be from now, either way.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Vonage re-sends an undelivered webhook for 24 hours: remember message ids that long.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan DedupeWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Message ids remembered at most (the oldest are forgotten first), so memory stays bounded.</summary>
    [Range(1, 10_000_000)]
    public int DedupeCapacity { get; set; } = 100_000;

    /// <summary>The SMS API's own signature (<c>sig</c> parameter); checked when a secret is set.</summary>
    public SmsSignatureOptions SmsSignature { get; set; } = new();

    /// <summary>Which SMS are WhatsApp's code message (sender ids and text pattern); the rest are ignored.</summary>
    public OtpSmsOptions OtpSms { get; set; } = new();
}

public sealed class SmsSignatureOptions
{
    /// <summary>The account's SMS signature secret (Dashboard → Settings → API settings).</summary>
    public string? Secret { get; set; }

    /// <summary><c>md5hash</c> (Vonage's default), <c>md5</c>, <c>sha1</c>, <c>sha256</c> or <c>sha512</c> (the HMAC variants).</summary>
    [RegularExpression("^(md5hash|md5|sha1|sha256|sha512)$", ErrorMessage = "Webhooks:SmsSignature:Method must be md5hash, md5, sha1, sha256 or sha512.")]
    public string Method { get; set; } = "md5hash";
}
