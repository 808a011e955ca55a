using WabaOrchestrator.Durable;
using WabaOrchestrator.Vonage.Profile;

namespace WabaOrchestrator.Onboarding.Tests.Integration;

/// <summary>
/// One test per path of the workflow, on the embedded engine against the sandbox with fast timings (20 ms steps). Each
/// ends with the leak check: none of its plaintext pins, certificates or codes in the SQLite files or the logs.
/// </summary>
public sealed class OnboardingPathTests
{
    private const string Provision = "POST /v0.1/whatsapp-manager/deployments";
    private const string Resend = "POST /v0.1/whatsapp-manager/deployments/{deployment_id}/resend-otp";
    private const string Verify = "POST /v0.1/whatsapp-manager/deployments/{deployment_id}/verify";
    private const string Delete = "DELETE /v0.1/whatsapp-manager/deployments/{deployment_id}";

    private static readonly Dictionary<string, string?> ShortWindows = new()
    {
        ["Onboarding:OtpWindow"] = "00:00:00.400",
        ["Onboarding:MaxResends"] = "2",
    };

    [Fact]
    public async Task Sms_WithTheCodeRaisedAsAnEvent_ReachesReady()
    {
        await using var stack = await OnboardingStack.StartAsync();
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber());

        var waiting = await stack.WaitForOtpAsync(id);
        Assert.Equal("sms", waiting.Otp!.Method);
        Assert.Equal("CODE_SENT", waiting.VonageState);
        var (code, method) = await stack.SandboxOtpAsync(waiting.DeploymentId!);
        Assert.Equal("sms", method);
        await stack.RaiseOtpAsync(id, code);

        var done = await stack.CompletionAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var output = done.ReadOutputAs<OnboardingOutput>()!;
        Assert.Equal(OnboardingStage.Completed, output.Stage);
        Assert.Equal("READY", output.State);
        Assert.Equal(waiting.DeploymentId, output.DeploymentId);
        Assert.Equal("sandbox", output.ApiKey);
        Assert.Empty(output.Warnings);
        Assert.True(output.Timestamps.Started <= output.Timestamps.CodeSent);
        Assert.True(output.Timestamps.CodeSent <= output.Timestamps.Verified);
        Assert.True(output.Timestamps.Verified <= output.Timestamps.Ready);
        Assert.True(output.Timestamps.Ready <= output.Timestamps.Completed);
        Assert.Equal(OnboardingStage.Completed, done.ReadCustomStatusAs<OnboardingStatus>()!.Stage);
        Assert.Equal("READY", await stack.VonageStateAsync(output.DeploymentId!));
        Assert.Equal(1, await stack.SandboxCountAsync(Provision, "202"));
        stack.AssertNoPlaintextSecrets(id);
    }

    [Fact]
    public async Task Voice_CodeSentByVoice_ReachesReady()
    {
        await using var stack = await OnboardingStack.StartAsync();
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber(), method: "voice");

        var waiting = await stack.WaitForOtpAsync(id);
        Assert.Equal("voice", waiting.Otp!.Method);
        var (code, method) = await stack.SandboxOtpAsync(waiting.DeploymentId!);
        Assert.Equal("voice", method);
        await stack.RaiseOtpAsync(id, code);

        var output = (await stack.CompletionAsync(id)).ReadOutputAs<OnboardingOutput>()!;
        Assert.Equal(OnboardingStage.Completed, output.Stage);
        Assert.Equal("READY", output.State);
        stack.AssertNoPlaintextSecrets(id);
    }

    [Fact]
    public async Task WrongCode_ThenTheRightOne_WaitsAgainAndReachesReady()
    {
        await using var stack = await OnboardingStack.StartAsync();
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber());
        var waiting = await stack.WaitForOtpAsync(id);
        var (code, _) = await stack.SandboxOtpAsync(waiting.DeploymentId!);

        await stack.RaiseOtpAsync(id, stack.WrongCode(code));
        var afterWrong = await stack.WaitForStatusAsync(id, s => s is { Stage: OnboardingStage.WaitingForOtp, Otp.AttemptsLeft: 4 }, "one attempt used");
        Assert.Equal("WRONG_CODE", afterWrong.VonageState);
        await stack.RaiseOtpAsync(id, code);

        Assert.Equal(OnboardingStage.Completed, (await stack.CompletionAsync(id)).ReadOutputAs<OnboardingOutput>()!.Stage);
        Assert.Equal(1, await stack.SandboxCountAsync(Verify, "201"));
        Assert.Equal(1, await stack.SandboxCountAsync(Verify, "400") + await stack.SandboxCountAsync(Verify, "422"));
        stack.AssertNoPlaintextSecrets(id);
    }

    [Fact]
    public async Task FirstCodeLost_WindowEnds_ResendsAndTheWebhookCodeReachesReady()
    {
        await using var stack = await OnboardingStack.StartAsync(new StackSetup { SmsWebhook = true, Settings = new(ShortWindows) });
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber("0001"));

        var done = await stack.CompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("READY", done.ReadOutputAs<OnboardingOutput>()!.State);
        Assert.Equal(1, await stack.SandboxCountAsync(Resend, "202"));
        Assert.Single(stack.SmsDeliveries);
        Assert.Empty(stack.SmsSignatureFailures);
        stack.AssertNoPlaintextSecrets(id);
    }

    [Fact]
    public async Task NeverDelivered_FailsAfterMaxResendsAndDeletesTheDeployment()
    {
        await using var stack = await OnboardingStack.StartAsync(new StackSetup { SmsWebhook = true, Settings = new(ShortWindows) });
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber("0002"));
        var deploymentId = (await stack.WaitForOtpAsync(id)).DeploymentId!;

        var done = await stack.CompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("after 2 resends", done.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        var status = done.ReadCustomStatusAs<OnboardingStatus>()!;
        Assert.Equal(OnboardingStage.Failed, status.Stage);
        Assert.Equal(done.FailureDetails.ErrorMessage, status.Error);
        Assert.Equal(2, await stack.SandboxCountAsync(Resend, "202"));
        Assert.Equal(1, await stack.SandboxCountAsync(Delete, "204"));
        Assert.Contains(await stack.VonageStateAsync(deploymentId), new[] { "DELETING", "DELETED", "NOT_FOUND" });
        Assert.Empty(stack.SmsDeliveries);
        stack.AssertNoPlaintextSecrets(id);
    }

    [Fact]
    public async Task InvalidCertificate_VonageError_FailsWithItsDetailAndDeletes()
    {
        await using var stack = await OnboardingStack.StartAsync();
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber(), certificatePrefix: "invalid");

        var done = await stack.CompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal("Invalid vname certificate", done.FailureDetails!.ErrorMessage);
        var status = done.ReadCustomStatusAs<OnboardingStatus>()!;
        Assert.Equal(OnboardingStage.Failed, status.Stage);
        Assert.Equal("ERROR", status.VonageState);
        Assert.Equal(1, await stack.SandboxCountAsync(Delete, "204"));
        Assert.Contains(await stack.VonageStateAsync(status.DeploymentId!), new[] { "DELETING", "DELETED", "NOT_FOUND" });
        stack.AssertNoPlaintextSecrets(id);
    }

    [Fact]
    public async Task Cancel_WhileWaitingForTheOtp_EndsCancelledAndDeletesTheDeployment()
    {
        await using var stack = await OnboardingStack.StartAsync();
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber());
        var deploymentId = (await stack.WaitForOtpAsync(id)).DeploymentId!;
        await stack.SandboxOtpAsync(deploymentId);

        await stack.Client.RaiseEventAsync(id, OnboardingEvents.Cancel, new CancelRequested("operator gave up"));

        var done = await stack.CompletionAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(OnboardingStage.Cancelled, done.ReadOutputAs<OnboardingOutput>()!.Stage);
        Assert.Equal(OnboardingStage.Cancelled, done.ReadCustomStatusAs<OnboardingStatus>()!.Stage);
        Assert.Equal(1, await stack.SandboxCountAsync(Delete, "204"));
        Assert.Contains(await stack.VonageStateAsync(deploymentId), new[] { "DELETING", "DELETED", "NOT_FOUND" });
        stack.AssertNoPlaintextSecrets(id);
    }

    [Fact]
    public async Task Otp_RaisedBeforeCodeSent_IsBufferedAndVerifiedOnceTheCodeIsSent()
    {
        // Slow steps so the event surely lands while the deployment is still being created.
        await using var stack = await OnboardingStack.StartAsync(new StackSetup { StepDelay = TimeSpan.FromMilliseconds(250) });
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber());

        // The code does not exist yet, so the early one is a wrong guess: it must still be verified, not lost.
        await stack.RaiseOtpAsync(id, stack.WrongCode());
        var early = (await stack.Client.GetInstanceAsync(id))!.ReadCustomStatusAs<OnboardingStatus>();
        Assert.NotEqual(OnboardingStage.WaitingForOtp, early?.Stage);

        var afterEarly = await stack.WaitForStatusAsync(id, s => s is { Stage: OnboardingStage.WaitingForOtp, Otp.AttemptsLeft: 4 }, "the early code verified");
        var (code, _) = await stack.SandboxOtpAsync(afterEarly.DeploymentId!);
        await stack.RaiseOtpAsync(id, code);

        Assert.Equal(OnboardingStage.Completed, (await stack.CompletionAsync(id)).ReadOutputAs<OnboardingOutput>()!.Stage);
        Assert.Equal(2, await stack.SandboxCountAsync(Verify, "201") + await stack.SandboxCountAsync(Verify, "400") + await stack.SandboxCountAsync(Verify, "422"));
        stack.AssertNoPlaintextSecrets(id);
    }

    [Fact]
    public async Task EngineRestart_DuringTheOtpWait_ThenTheCode_ReachesReady()
    {
        await using var stack = await OnboardingStack.StartAsync();
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber());
        var deploymentId = (await stack.WaitForOtpAsync(id)).DeploymentId!;
        var (code, _) = await stack.SandboxOtpAsync(deploymentId);

        await stack.Host.RestartAsync();
        await stack.WaitForOtpAsync(id);
        await stack.RaiseOtpAsync(id, code);

        var output = (await stack.CompletionAsync(id)).ReadOutputAs<OnboardingOutput>()!;
        Assert.Equal(OnboardingStage.Completed, output.Stage);
        Assert.Equal(deploymentId, output.DeploymentId);
        Assert.Equal(1, await stack.SandboxCountAsync(Provision, "202"));
        Assert.Equal(0, await stack.SandboxCountAsync(Resend, "202"));
        stack.AssertNoPlaintextSecrets(id);
    }

    [Fact]
    public async Task Profile_TheApiRejects_CompletesWithWarningsAndTheNumberReady()
    {
        await using var stack = await OnboardingStack.StartAsync();
        // A quoted local part passes our e-mail rule but not Vonage's (no spaces): a rule only the API knows.
        var profile = new BusinessProfile(About: "Fresh bread daily", Email: "\"front desk\"@bakery.example");
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber(), profile: profile, photoUrl: "https://bakery.example/logo.png");
        var deploymentId = (await stack.WaitForOtpAsync(id)).DeploymentId!;
        await stack.RaiseOtpAsync(id, (await stack.SandboxOtpAsync(deploymentId)).Code);

        var done = await stack.CompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var output = done.ReadOutputAs<OnboardingOutput>()!;
        Assert.Equal(OnboardingStage.CompletedWithWarnings, output.Stage);
        Assert.Equal("READY", output.State);
        Assert.False(output.Profile!.Applied);
        Assert.Contains("email", output.Profile.Detail, StringComparison.Ordinal);
        Assert.True(output.Photo!.Applied);
        Assert.Single(output.Warnings);
        Assert.Equal("READY", await stack.VonageStateAsync(deploymentId));
        Assert.Equal(0, await stack.SandboxCountAsync(Delete, "204"));
        stack.AssertNoPlaintextSecrets(id);
    }

    [Fact]
    public async Task Photo_Rejected_CompletesWithWarningsAndTheProfileApplied()
    {
        await using var stack = await OnboardingStack.StartAsync();
        // Persisted by an older version with looser rules: the client refuses the URL before sending it.
        var id = await stack.StartUncheckedAsync(OnboardingStack.NewNumber(), new BusinessProfile(About: "Open 7-19"), "https://bakery.example/logo.gif");
        var deploymentId = (await stack.WaitForOtpAsync(id)).DeploymentId!;
        await stack.RaiseOtpAsync(id, (await stack.SandboxOtpAsync(deploymentId)).Code);

        var output = (await stack.CompletionAsync(id)).ReadOutputAs<OnboardingOutput>()!;

        Assert.Equal(OnboardingStage.CompletedWithWarnings, output.Stage);
        Assert.True(output.Profile!.Applied);
        Assert.False(output.Photo!.Applied);
        Assert.Contains("image_url", output.Photo.Detail, StringComparison.Ordinal);
        Assert.Equal("READY", output.State);
        stack.AssertNoPlaintextSecrets(id);
    }

    [Fact]
    public async Task SmsWebhook_ResentByVonageWithTheSameMessageId_IsVerifiedOnce()
    {
        await using var stack = await OnboardingStack.StartAsync(new StackSetup { SmsWebhook = true, FailFirstSmsDelivery = true });
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber());

        var done = await stack.CompletionAsync(id);

        Assert.Equal(OnboardingStage.Completed, done.ReadOutputAs<OnboardingOutput>()!.Stage);
        var deliveries = stack.SmsDeliveries.ToList();
        Assert.True(deliveries.Count >= 2, "The receiver failed the first delivery, so the sandbox re-sent it.");
        Assert.Single(deliveries.Select(d => d.MessageId).Distinct());
        Assert.Equal(1, await stack.SandboxCountAsync(Verify, "201"));
        Assert.Equal(0, await stack.SandboxCountAsync(Verify, "409") + await stack.SandboxCountAsync(Verify, "400") + await stack.SandboxCountAsync(Verify, "422"));
        stack.AssertNoPlaintextSecrets(id);
    }
}
