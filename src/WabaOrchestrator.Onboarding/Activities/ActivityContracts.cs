using System.Text.Json.Serialization;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Profile;

namespace WabaOrchestrator.Onboarding.Activities;

// Inputs and results of the onboarding activities. They are persisted in orchestration history, so secrets only
// ever travel here as ciphertext. Expected business outcomes are results, not exceptions (ARCHITECTURE.md).

/// <summary>
/// How Vonage refused a call, for the timeline: the HTTP status and Vonage's error code only, never the request or
/// body (which may echo a code or certificate).
/// </summary>
public sealed record VonageReply(int HttpStatus, string? ErrorCode);

public sealed record ProvisionDeploymentInput(
    string CountryCode, string Number, OtpMethod Method, string WabaId, string ProtectedVnameCertificate, string? ProtectedPin);

[JsonConverter(typeof(JsonStringEnumConverter<ProvisionOutcome>))]
public enum ProvisionOutcome
{
    Created,

    /// <summary>Vonage answered number-in-use naming an active deployment: a retried provision takes it over.</summary>
    Adopted,

    /// <summary>Vonage refused the request (422): the detail says why.</summary>
    Rejected,
}

public sealed record ProvisionDeploymentResult(ProvisionOutcome Outcome, DeploymentSnapshot? Deployment, string? Detail, VonageReply? Refusal = null);

public sealed record ResendOtpInput(string DeploymentId, OtpMethod Method);

[JsonConverter(typeof(JsonStringEnumConverter<ResendOutcome>))]
public enum ResendOutcome
{
    Sent,
    Throttled,

    /// <summary>conflict-resend-otp: the deployment is past the OTP stage or in ERROR.</summary>
    NotAllowed,
}

public sealed record ResendResult(ResendOutcome Outcome, string? Detail, TimeSpan? RetryAfter = null, VonageReply? Refusal = null);

public sealed record VerifyOtpInput(string DeploymentId, string ProtectedCode);

[JsonConverter(typeof(JsonStringEnumConverter<VerifyOutcome>))]
public enum VerifyOutcome
{
    Verified,

    /// <summary>verification-failed: a wrong code.</summary>
    WrongCode,

    /// <summary>verification-failed for too many attempts since the last send: no code is accepted until a resend.</summary>
    TooManyAttempts,

    /// <summary>conflict-deployment-state: the deployment is not waiting for a code (any more).</summary>
    NotAllowed,
}

public sealed record VerificationResult(VerifyOutcome Outcome, string? Detail, VonageReply? Refusal = null);

public sealed record UpdateProfileInput(string DeploymentId, BusinessProfile Profile);

public sealed record UpdatePhotoInput(string DeploymentId, string PhotoUrl);

/// <summary>A stage change for the caller's <c>callback_url</c>; the activity signs and posts it.</summary>
public sealed record StatusCallback(
    [property: JsonPropertyName("instance_id")] string InstanceId,
    [property: JsonPropertyName("stage")] OnboardingStage Stage,
    [property: JsonPropertyName("vonage_state")] string? VonageState,
    [property: JsonPropertyName("detail")] string? Detail,
    [property: JsonPropertyName("at")] DateTime At);

public sealed record NotifyCallbackInput(string CallbackUrl, StatusCallback Payload);
