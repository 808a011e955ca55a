namespace WabaOrchestrator.Vonage.Errors;

/// <summary>The codes (the fragment of the problem <c>type</c> URI) the two APIs document.</summary>
public static class VonageErrorCodes
{
    // v0.1 WhatsApp Manager
    public const string NumberInUse = "number-in-use";
    public const string InvalidJson = "invalid-json";
    public const string Unprocessable = "unprocessable";
    public const string UnprocessableProfileUpdate = "unprocessable-profile-update";
    public const string Throttled = "throttled";
    public const string VerificationFailed = "verification-failed";
    public const string ConflictDeploymentState = "conflict-deployment-state";
    public const string ConflictResendOtp = "conflict-resend-otp";

    // v2 Template Management (Messages API numeric codes)
    public const string TemplateThrottled = "1000";
    public const string TemplateInternalError = "1030";
}
