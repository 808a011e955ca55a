using System.Text.Json.Serialization;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Profile;

namespace WabaOrchestrator.Onboarding;

/// <summary>
/// The orchestration's input: the request with its secrets already encrypted and every setting resolved, so replays
/// never depend on configuration that may have changed since the start.
/// </summary>
public sealed record OnboardingInput
{
    [JsonPropertyName("country_code")] public required string CountryCode { get; init; }

    [JsonPropertyName("number")] public required string Number { get; init; }

    [JsonPropertyName("method")] public required OtpMethod Method { get; init; }

    [JsonPropertyName("waba_id")] public required string WabaId { get; init; }

    /// <summary>Ciphertext (<see cref="Secrets.SecretPurposes.VnameCertificate"/>).</summary>
    [JsonPropertyName("vname_certificate")] public required string ProtectedVnameCertificate { get; init; }

    /// <summary>Ciphertext (<see cref="Secrets.SecretPurposes.Pin"/>), or null.</summary>
    [JsonPropertyName("pin")] public string? ProtectedPin { get; init; }

    [JsonPropertyName("profile")] public BusinessProfile? Profile { get; init; }

    [JsonPropertyName("photo_url")] public string? PhotoUrl { get; init; }

    [JsonPropertyName("callback_url")] public string? CallbackUrl { get; init; }

    [JsonPropertyName("settings")] public required WorkflowSettings Settings { get; init; }
}

/// <summary>Timings and limits of one onboarding, fixed at its start.</summary>
public sealed record WorkflowSettings
{
    [JsonPropertyName("otp_window")] public TimeSpan OtpWindow { get; init; } = TimeSpan.FromMinutes(5);

    [JsonPropertyName("max_resends")] public int MaxResends { get; init; } = 3;

    [JsonPropertyName("max_attempts")] public int MaxAttempts { get; init; } = 5;

    /// <summary>Tries of one Vonage step on durable timers (absent in inputs from before it existed: 5).</summary>
    [JsonPropertyName("vonage_attempts")] public int VonageAttempts { get; init; } = 5;

    [JsonPropertyName("poll_interval")] public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    [JsonPropertyName("max_poll_interval")] public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>When CODE_SENT usually follows the provisioning: the first status poll waits this long (null: the poll interval).</summary>
    [JsonPropertyName("code_sent_after")] public TimeSpan? ExpectedCodeSentAfter { get; init; }

    /// <summary>When READY usually follows a verified code: the first poll of the finalizing phase waits this long.</summary>
    [JsonPropertyName("ready_after")] public TimeSpan? ExpectedReadyAfter { get; init; }

    /// <summary>How long one polling phase (cluster creation, finalizing) may take before the onboarding times out.</summary>
    [JsonPropertyName("phase_timeout")] public TimeSpan PhaseTimeout { get; init; } = TimeSpan.FromMinutes(30);

    [JsonPropertyName("delete_on_failure")] public bool DeleteDeploymentOnFailure { get; init; } = true;

    /// <summary>
    /// Status callbacks go out beside the steps (true for every onboarding started since). Absent, as in inputs of
    /// onboardings started before: each callback is awaited before the next step, as their history recorded it.
    /// </summary>
    [JsonPropertyName("callbacks_beside_steps")] public bool CallbacksBesideSteps { get; init; }

    /// <summary>How long an ended onboarding waits for its queued status callbacks before its instance completes.</summary>
    [JsonPropertyName("final_callback_wait")] public TimeSpan FinalCallbackWait { get; init; } = TimeSpan.FromMinutes(2);
}
