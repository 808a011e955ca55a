using System.Text.Json.Serialization;

namespace WabaOrchestrator.Onboarding;

/// <summary>Where an onboarding stands. Part of the documented, stable custom status.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OnboardingStage>))]
public enum OnboardingStage
{
    Provisioning,
    WaitingForCluster,
    WaitingForOtp,
    Verifying,
    Finalizing,
    ConfiguringProfile,
    Completed,
    CompletedWithWarnings,
    Failed,
    Cancelled,

    /// <summary>Stopped by a terminate (no clean-up at Vonage). Set by the API's view: the workflow never sees it.</summary>
    Terminated,
}

/// <summary>The orchestration's custom status, updated at every step. Never carries a secret.</summary>
public sealed record OnboardingStatus
{
    [JsonPropertyName("stage")] public OnboardingStage Stage { get; init; }

    [JsonPropertyName("vonage_state")] public string? VonageState { get; init; }

    [JsonPropertyName("vonage_detail")] public string? VonageDetail { get; init; }

    [JsonPropertyName("deployment_id")] public string? DeploymentId { get; init; }

    [JsonPropertyName("otp")] public OtpStatus? Otp { get; init; }

    /// <summary>When the next status poll of Vonage is due, while polling.</summary>
    [JsonPropertyName("next_poll_at")] public DateTime? NextPollAt { get; init; }

    [JsonPropertyName("error")] public string? Error { get; init; }

    /// <summary>The reason given to cancel or terminate.</summary>
    [JsonPropertyName("reason"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Reason { get; init; }

    /// <summary>What happened so far. The API's status view shows it only when asked (showHistory=true or /timeline).</summary>
    [JsonPropertyName("timeline"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public OnboardingTimeline? Timeline { get; init; }
}

public sealed record OtpStatus
{
    [JsonPropertyName("method")] public required string Method { get; init; }

    [JsonPropertyName("sent_at")] public DateTime? SentAt { get; init; }

    [JsonPropertyName("window_ends_at")] public DateTime? WindowEndsAt { get; init; }

    [JsonPropertyName("resends")] public int Resends { get; init; }

    [JsonPropertyName("attempts_left")] public int AttemptsLeft { get; init; }

    /// <summary>How many more codes may be asked for (a window ending or "resend now"); absent in statuses written before it existed.</summary>
    [JsonPropertyName("resends_left"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? ResendsLeft { get; init; }
}
