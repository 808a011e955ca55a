using System.Text.Json.Serialization;

namespace WabaOrchestrator.Onboarding;

/// <summary>What happened to one onboarding, oldest first; the oldest entries beyond the bound are only counted.</summary>
public sealed record OnboardingTimeline
{
    [JsonPropertyName("entries")] public IReadOnlyList<TimelineEntry> Entries { get; init; } = [];

    /// <summary>How many older entries were dropped to keep the timeline within its bound.</summary>
    [JsonPropertyName("dropped")] public int Dropped { get; init; }

    /// <summary>When the newest dropped entry happened: everything up to then is summarised by <see cref="Dropped"/>.</summary>
    [JsonPropertyName("dropped_until"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? DroppedUntil { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<TimelineKind>))]
public enum TimelineKind
{
    /// <summary>The onboarding moved to <see cref="TimelineEntry.Stage"/>.</summary>
    [JsonStringEnumMemberName("stage")] Stage,

    /// <summary>A call to Vonage and how it went (<see cref="TimelineEntry.Outcome"/>, HTTP status and error code when refused).</summary>
    [JsonStringEnumMemberName("vonage_call")] VonageCall,

    /// <summary>An OTP arrived (<see cref="TimelineEntry.Source"/>, <see cref="TimelineEntry.Verdict"/>); never the code itself.</summary>
    [JsonStringEnumMemberName("otp_received")] OtpReceived,

    /// <summary>An operator asked for a new code now; the detail says whether it was honoured.</summary>
    [JsonStringEnumMemberName("resend_requested")] ResendRequested,

    /// <summary>Vonage sent a new code.</summary>
    [JsonStringEnumMemberName("otp_resent")] OtpResent,

    /// <summary>An OTP window ended without a valid code.</summary>
    [JsonStringEnumMemberName("otp_window_expired")] OtpWindowExpired,

    /// <summary>The caller cancelled, with the reason given.</summary>
    [JsonStringEnumMemberName("cancel_requested")] CancelRequested,

    [JsonStringEnumMemberName("warning")] Warning,

    /// <summary>The onboarding failed: the detail is the reason.</summary>
    [JsonStringEnumMemberName("failed")] Failed,

    /// <summary>Added by the API for a terminated instance: the workflow never ran again to record it.</summary>
    [JsonStringEnumMemberName("terminated")] Terminated,

    /// <summary>
    /// A status callback for <see cref="TimelineEntry.Stage"/> was given up after its retries (the detail says why), or
    /// callbacks were still undelivered when the wait after the final stage ran out.
    /// </summary>
    [JsonStringEnumMemberName("callback_failed")] CallbackFailed,
}

/// <summary>One thing that happened. Only the fields that apply to its kind are written; none ever holds a secret.</summary>
public sealed record TimelineEntry
{
    [JsonPropertyName("at")] public DateTime At { get; init; }

    [JsonPropertyName("kind")] public TimelineKind Kind { get; init; }

    [JsonPropertyName("stage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public OnboardingStage? Stage { get; init; }

    /// <summary>Vonage's deployment state as the workflow knew it.</summary>
    [JsonPropertyName("vonage_state"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? VonageState { get; init; }

    /// <summary>The Vonage call: ProvisionDeployment, GetDeployment, VerifyOtp, ResendOtp, DeleteDeployment, UpdateProfile, UpdatePhoto.</summary>
    [JsonPropertyName("call"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Call { get; init; }

    [JsonPropertyName("outcome"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Outcome { get; init; }

    [JsonPropertyName("http_status"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? HttpStatus { get; init; }

    [JsonPropertyName("error_code"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? ErrorCode { get; init; }

    /// <summary>Where an OTP came from: <c>operator</c> (typed through the API) or the delivery kind (<c>sms</c>).</summary>
    [JsonPropertyName("source"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Source { get; init; }

    [JsonPropertyName("delivery_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? DeliveryId { get; init; }

    /// <summary>
    /// verified, wrong, repeated (a delivery already taken), too_late (Vonage no longer waited for a code), refused (too
    /// many attempts), before_code_sent or earlier_window (received before the current code was sent: not sent to Vonage).
    /// </summary>
    [JsonPropertyName("verdict"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Verdict { get; init; }

    /// <summary>How many identical answers in a row this entry stands for (status polls that saw the same state).</summary>
    [JsonPropertyName("repeats"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? Repeats { get; init; }

    [JsonPropertyName("detail"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Detail { get; init; }
}

/// <summary>The verdicts of <see cref="TimelineKind.OtpReceived"/>.</summary>
public static class OtpVerdicts
{
    public const string Verified = "verified";
    public const string Wrong = "wrong";
    public const string Repeated = "repeated";
    public const string TooLate = "too_late";
    public const string Refused = "refused";

    /// <summary>Received before Vonage sent the first code: a guess or a stray SMS, never sent to Vonage.</summary>
    public const string BeforeCodeSent = "before_code_sent";

    /// <summary>Received before the resend that opened the current window: a code Vonage replaced, never sent to Vonage.</summary>
    public const string EarlierWindow = "earlier_window";
}
