using WabaOrchestrator.Durable;
using WabaOrchestrator.Onboarding.Activities;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Profile;

namespace WabaOrchestrator.Onboarding.Tests.Workflow;

/// <summary>Inputs and scripted Vonage answers shared by the orchestrator decision tests.</summary>
internal static class WorkflowScenario
{
    public const string DeploymentId = "dep-1";

    public static OnboardingInput Input(WorkflowSettings? settings = null, BusinessProfile? profile = null, string? photoUrl = null, string? callbackUrl = null) => new()
    {
        CountryCode = "44",
        Number = "7700900001",
        Method = OtpMethod.Sms,
        WabaId = "123456789",
        ProtectedVnameCertificate = "wsp1:certificate-ciphertext",
        ProtectedPin = "wsp1:pin-ciphertext",
        Profile = profile,
        PhotoUrl = photoUrl,
        CallbackUrl = callbackUrl,
        // As OnboardingOptions.Resolve fixes them for a new onboarding, unless the test gives its own.
        Settings = settings ?? new WorkflowSettings { CallbacksBesideSteps = true },
    };

    public static DeploymentSnapshot At(DeploymentState state, string? detail = null) => new(DeploymentId, state, detail, "api-key-1");

    public static ProvisionDeploymentResult Created(DeploymentState? state = null) =>
        new(ProvisionOutcome.Created, At(state ?? DeploymentState.Initializing), null);

    /// <summary>A context where Vonage moves from INITIALIZING to CODE_SENT on the second poll, verifies any code "123456", then READY.</summary>
    public static ScriptedContext HappyVonage()
    {
        var context = new ScriptedContext();
        var verified = false;
        var pollsBeforeCode = 2;
        var pollsAfterVerify = 2;
        context
            .On(nameof(ProvisionDeploymentActivity), _ => Created())
            .On(nameof(GetDeploymentActivity), _ => verified
                ? At(--pollsAfterVerify <= 0 ? DeploymentState.Ready : DeploymentState.Finalizing)
                : At(--pollsBeforeCode <= 0 ? DeploymentState.CodeSent : DeploymentState.CreatingCluster))
            .On<VerifyOtpInput>(nameof(VerifyOtpActivity), input =>
            {
                verified = input.ProtectedCode == Code("123456").ProtectedCode;
                return new VerificationResult(verified ? VerifyOutcome.Verified : VerifyOutcome.WrongCode, null);
            })
            .On(nameof(ResendOtpActivity), _ => new ResendResult(ResendOutcome.Sent, "Code sent"))
            .On(nameof(UpdateProfileActivity), _ => new StepOutcome(true, null))
            .On(nameof(UpdatePhotoActivity), _ => new StepOutcome(true, null))
            .On(nameof(DeleteDeploymentActivity), _ => true)
            .On(nameof(NotifyCallbackActivity), _ => true);
        return context;
    }

    /// <summary>The scripted protector is the identity with a prefix: enough for the orchestrator, which never decrypts.</summary>
    public static OtpSubmitted Code(string code) => new($"wsp1:{code}", "api");

    /// <summary>Drives polling until the orchestrator waits for the OTP.</summary>
    public static void UntilWaitingForOtp(this ScriptedContext context) =>
        context.FireTimersUntil(() => context.Statuses.Count > 0 && context.Status.Stage == OnboardingStage.WaitingForOtp);

    public static ActivityFailedException Failure(string activity, string message) => new(activity, new FailureDetails("System.Net.Http.HttpRequestException", message));
}
