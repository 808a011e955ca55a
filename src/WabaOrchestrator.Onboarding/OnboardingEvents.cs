using System.Text.Json.Serialization;

namespace WabaOrchestrator.Onboarding;

/// <summary>External events the orchestrator waits for. Names are case-insensitive on both engines.</summary>
public static class OnboardingEvents
{
    public const string Otp = "Otp";
    public const string Cancel = "Cancel";

    /// <summary>An operator asks for a new code now: the current OTP window ends early (within the resend limit).</summary>
    public const string Resend = "Resend";

    /// <summary>One onboarding per number at a time: the instance id is derived from it.</summary>
    public static string InstanceIdFor(string countryCode, string number) => $"waba-{countryCode}{number}";
}

/// <summary>
/// An OTP from an operator or an inbound SMS; the code is ciphertext (<see cref="Secrets.SecretPurposes.Otp"/>).
/// <see cref="Source"/> is <c>api</c> for an operator, or <c>kind:id</c> naming one delivery (see <see cref="OtpSources"/>).
/// <see cref="ReceivedAt"/> is when the code reached us (UTC): for an SMS, when Vonage received it, which stays right
/// when Vonage re-delivers it hours later; null in events raised by versions before it existed.
/// </summary>
public sealed record OtpSubmitted(
    [property: JsonPropertyName("code")] string ProtectedCode,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("receivedAt")] DateTime? ReceivedAt = null)
{
    /// <summary>The source names one delivery, so a second event with it is a re-sent webhook, not a new code.</summary>
    [JsonIgnore]
    public bool NamesDelivery => OtpSources.NamesDelivery(Source);
}

/// <summary>Where a code came from, as <see cref="OtpSubmitted.Source"/> spells it.</summary>
public static class OtpSources
{
    /// <summary>Typed by an operator: the same code may be submitted twice on purpose, so never deduplicated.</summary>
    public const string Api = "api";

    /// <summary>An inbound SMS: Vonage re-sends it (same messageId) for 24 hours until it is acknowledged.</summary>
    public static string Sms(string messageId) => $"sms:{messageId}";

    public static bool NamesDelivery(string source)
    {
        var colon = source.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon < source.Length - 1;
    }
}

public sealed record CancelRequested([property: JsonPropertyName("reason")] string? Reason);

/// <summary>Ends the current OTP window early and asks Vonage for a new code; refused (and recorded) with no resends left.</summary>
public sealed record ResendRequested([property: JsonPropertyName("by")] string? By);
