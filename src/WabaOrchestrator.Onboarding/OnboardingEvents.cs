using System.Text.Json.Serialization;

namespace WabaOrchestrator.Onboarding;

/// <summary>External events the orchestrator waits for. Names are case-insensitive on both engines.</summary>
public static class OnboardingEvents
{
    public const string Otp = "Otp";
    public const string Cancel = "Cancel";

    /// <summary>One onboarding per number at a time: the instance id is derived from it.</summary>
    public static string InstanceIdFor(string countryCode, string number) => $"waba-{countryCode}{number}";
}

/// <summary>An OTP from an operator or an inbound SMS; the code is ciphertext (<see cref="Secrets.SecretPurposes.Otp"/>).</summary>
public sealed record OtpSubmitted(
    [property: JsonPropertyName("code")] string ProtectedCode,
    [property: JsonPropertyName("source")] string Source);

public sealed record CancelRequested([property: JsonPropertyName("reason")] string? Reason);
