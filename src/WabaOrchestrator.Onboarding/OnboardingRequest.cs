using System.Text.Json.Serialization;
using WabaOrchestrator.Vonage.Profile;

namespace WabaOrchestrator.Onboarding;

/// <summary>What a caller posts to start an onboarding (snake_case, the provisioning fields of Vonage's API).</summary>
public sealed record OnboardingRequest
{
    [JsonPropertyName("country_code")] public string? CountryCode { get; init; }

    [JsonPropertyName("number")] public string? Number { get; init; }

    [JsonPropertyName("vname_certificate")] public string? VnameCertificate { get; init; }

    /// <summary><c>sms</c> or <c>voice</c>.</summary>
    [JsonPropertyName("method")] public string? Method { get; init; }

    [JsonPropertyName("waba_id")] public string? WabaId { get; init; }

    [JsonPropertyName("pin")] public string? Pin { get; init; }

    /// <summary>Applied once the number is READY; the same fields and limits as Vonage's profile PATCH.</summary>
    [JsonPropertyName("profile")] public BusinessProfile? Profile { get; init; }

    [JsonPropertyName("photo_url")] public string? PhotoUrl { get; init; }

    [JsonPropertyName("callback_url")] public string? CallbackUrl { get; init; }

    [JsonPropertyName("otp")] public OtpSettings? Otp { get; init; }
}

/// <summary>Per-onboarding overrides of the OTP loop; each within the bounds in <see cref="OnboardingOptions"/>.</summary>
public sealed record OtpSettings
{
    /// <summary>How long to wait for a code before asking Vonage to resend it.</summary>
    [JsonPropertyName("window")] public TimeSpan? Window { get; init; }

    [JsonPropertyName("max_resends")] public int? MaxResends { get; init; }

    [JsonPropertyName("max_attempts")] public int? MaxAttempts { get; init; }
}
