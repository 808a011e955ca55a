using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Onboarding;
using WabaOrchestrator.Testing;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Profile;

namespace WabaOrchestrator.Scenarios.Tests.Onboarding;

/// <summary>
/// The onboarding's paths, written once and run on each engine (the sealed subclasses): the sandbox on loopback with
/// fast timings, real keys, real I/O. Each ends with the leak check: none of its plaintext pins, certificates or codes in
/// what the engine stores or in the logs. A scenario that behaves differently on the two engines is a defect.
/// </summary>
public abstract class OnboardingScenarios
{
    private const string Provision = "POST /v0.1/whatsapp-manager/deployments";
    private const string Resend = "POST /v0.1/whatsapp-manager/deployments/{deployment_id}/resend-otp";
    private const string Verify = "POST /v0.1/whatsapp-manager/deployments/{deployment_id}/verify";
    private const string Delete = "DELETE /v0.1/whatsapp-manager/deployments/{deployment_id}";
    private const string UpdateProfile = "PATCH /v0.1/whatsapp-manager/deployments/{deployment_id}/profile";
    private const string UpdatePhoto = "POST /v0.1/whatsapp-manager/deployments/{deployment_id}/profile/photo";

    private static readonly Dictionary<string, string?> ShortWindows = new()
    {
        ["Onboarding:OtpWindow"] = "00:00:00.400",
        ["Onboarding:MaxResends"] = "2",
    };

    private static readonly string[] Deleted = ["DELETING", "DELETED", "NOT_FOUND"];

    protected abstract OnboardingEngineFactory Engine { get; }

    [Fact]
    public async Task Sms_WithProfileAndPhoto_ReachesReadyWithBothApplied()
    {
        await using var stack = await StartAsync();
        var profile = new BusinessProfile(About: "Fresh bread daily", Email: "hello@bakery.example");
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber(), profile: profile, photoUrl: "https://bakery.example/logo.png");

        var waiting = await stack.WaitForOtpAsync(id);
        Assert.Equal("sms", waiting.Otp!.Method);
        Assert.Equal("CODE_SENT", waiting.VonageState);
        var (code, method) = await stack.SandboxOtpAsync(waiting.DeploymentId!);
        Assert.Equal("sms", method);
        await stack.RaiseOtpAsync(id, code);

        var done = await stack.CompletionAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Null(done.FailureDetails);
        var output = done.ReadOutputAs<OnboardingOutput>()!;
        Assert.Equal(OnboardingStage.Completed, output.Stage);
        Assert.Equal("READY", output.State);
        Assert.Equal(waiting.DeploymentId, output.DeploymentId);
        Assert.Equal("sandbox", output.ApiKey);
        Assert.True(output.Profile!.Applied, output.Profile.Detail);
        Assert.True(output.Photo!.Applied, output.Photo.Detail);
        Assert.Empty(output.Warnings);
        Assert.True(output.Timestamps.Started <= output.Timestamps.CodeSent);
        Assert.True(output.Timestamps.CodeSent <= output.Timestamps.Verified);
        Assert.True(output.Timestamps.Verified <= output.Timestamps.Ready);
        Assert.True(output.Timestamps.Ready <= output.Timestamps.Completed);
        Assert.Equal(OnboardingStage.Completed, done.ReadCustomStatusAs<OnboardingStatus>()!.Stage);
        Assert.Equal("READY", await stack.VonageStateAsync(output.DeploymentId!));
        Assert.Equal(1, await stack.SandboxCountAsync(Provision, "202"));
        Assert.Equal(1, await stack.SandboxCountAsync(Verify, "201"));
        Assert.Equal(1, await stack.SandboxCountAsync(UpdateProfile, "200"));
        Assert.Equal(1, await stack.SandboxCountAsync(UpdatePhoto, "200"));
        await stack.AssertNoPlaintextSecretsAsync(id);
    }

    [Fact]
    public async Task Voice_OperatorTypesTheCode_ReachesReady()
    {
        await using var stack = await StartAsync();
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber(), method: "voice");

        var waiting = await stack.WaitForOtpAsync(id);
        Assert.Equal("voice", waiting.Otp!.Method);
        var (code, method) = await stack.SandboxOtpAsync(waiting.DeploymentId!);
        Assert.Equal("voice", method);
        // As an operator types what the call read out.
        await stack.RaiseOtpAsync(id, $"{code[..3]} {code[3..]}");

        var done = await stack.CompletionAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var output = done.ReadOutputAs<OnboardingOutput>()!;
        Assert.Equal(OnboardingStage.Completed, output.Stage);
        Assert.Equal("READY", output.State);
        Assert.Equal(1, await stack.SandboxCountAsync(Verify, "201"));
        await stack.AssertNoPlaintextSecretsAsync(id);
    }

    [Fact]
    public async Task WrongCode_ThenTheRightOne_WaitsAgainAndReachesReady()
    {
        await using var stack = await StartAsync();
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber());
        var waiting = await stack.WaitForOtpAsync(id);
        var (code, _) = await stack.SandboxOtpAsync(waiting.DeploymentId!);

        await stack.RaiseOtpAsync(id, stack.WrongCode(code));
        var afterWrong = await stack.WaitForStatusAsync(id, s => s is { Stage: OnboardingStage.WaitingForOtp, Otp.AttemptsLeft: 4 }, "one attempt used");
        Assert.Equal("WRONG_CODE", afterWrong.VonageState);
        await stack.RaiseOtpAsync(id, code);

        var done = await stack.CompletionAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(OnboardingStage.Completed, done.ReadOutputAs<OnboardingOutput>()!.Stage);
        Assert.Equal(1, await stack.SandboxCountAsync(Verify, "201"));
        Assert.Equal(1, await stack.SandboxCountAsync(Verify, "400") + await stack.SandboxCountAsync(Verify, "422"));
        await stack.AssertNoPlaintextSecretsAsync(id);
    }

    [Fact]
    public async Task FirstCodeLost_WindowEnds_ResendsAndTheWebhookCodeReachesReady()
    {
        await using var stack = await StartAsync(new StackSetup { SmsWebhook = true, Settings = new(ShortWindows) });
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber("0001"));

        var done = await stack.CompletionAsync(id);

        Assert.True(OrchestrationRuntimeStatus.Completed == done.RuntimeStatus, $"{done.RuntimeStatus}: {done.FailureDetails} {done.SerializedOutput}");
        Assert.Equal("READY", done.ReadOutputAs<OnboardingOutput>()!.State);
        Assert.Equal(1, await stack.SandboxCountAsync(Resend, "202"));
        Assert.Single(stack.SmsDeliveries);
        Assert.Empty(stack.SmsSignatureFailures);
        await stack.AssertNoPlaintextSecretsAsync(id);
    }

    [Fact]
    public async Task NeverDelivered_FailsAfterMaxResendsAndDeletesTheDeployment()
    {
        await using var stack = await StartAsync(new StackSetup { SmsWebhook = true, Settings = new(ShortWindows) });
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber("0002"));
        var deploymentId = (await stack.WaitForOtpAsync(id)).DeploymentId!;

        var done = await stack.CompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("after 2 resends", done.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        var status = done.ReadCustomStatusAs<OnboardingStatus>()!;
        Assert.Equal(OnboardingStage.Failed, status.Stage);
        Assert.Equal(done.FailureDetails.ErrorMessage, status.Error);
        Assert.Null(done.SerializedOutput);
        Assert.Equal(2, await stack.SandboxCountAsync(Resend, "202"));
        Assert.Equal(1, await stack.SandboxCountAsync(Delete, "204"));
        Assert.Contains(await stack.VonageStateAsync(deploymentId), Deleted);
        Assert.Empty(stack.SmsDeliveries);
        await stack.AssertNoPlaintextSecretsAsync(id);
    }

    [Fact]
    public async Task InvalidCertificate_VonageError_FailsWithItsDetailAndDeletes()
    {
        await using var stack = await StartAsync();
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber(), certificatePrefix: "invalid");

        var done = await stack.CompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal("Invalid vname certificate", done.FailureDetails!.ErrorMessage);
        Assert.Equal(typeof(OnboardingFailedException).FullName, done.FailureDetails.ErrorType);
        var status = done.ReadCustomStatusAs<OnboardingStatus>()!;
        Assert.Equal(OnboardingStage.Failed, status.Stage);
        Assert.Equal("ERROR", status.VonageState);
        Assert.Equal(1, await stack.SandboxCountAsync(Delete, "204"));
        Assert.Contains(await stack.VonageStateAsync(status.DeploymentId!), Deleted);
        await stack.AssertNoPlaintextSecretsAsync(id);
    }

    [Fact]
    public async Task Cancel_WhileWaitingForTheOtp_EndsCancelledAndDeletesTheDeployment()
    {
        await using var stack = await StartAsync();
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber());
        var deploymentId = (await stack.WaitForOtpAsync(id)).DeploymentId!;
        await stack.SandboxOtpAsync(deploymentId);

        await stack.Client.RaiseEventAsync(id, OnboardingEvents.Cancel, new CancelRequested("operator gave up"));

        var done = await stack.CompletionAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(OnboardingStage.Cancelled, done.ReadOutputAs<OnboardingOutput>()!.Stage);
        Assert.Equal(OnboardingStage.Cancelled, done.ReadCustomStatusAs<OnboardingStatus>()!.Stage);
        Assert.Equal(1, await stack.SandboxCountAsync(Delete, "204"));
        Assert.Equal(0, await stack.SandboxCountAsync(Verify, "201"));
        Assert.Contains(await stack.VonageStateAsync(deploymentId), Deleted);
        await stack.AssertNoPlaintextSecretsAsync(id);
    }

    [Fact]
    public async Task Otp_GuessRaisedBeforeCodeSent_IsRecordedAndNeverSentToVonage()
    {
        // Slow steps so the event surely lands while the deployment is still being created.
        await using var stack = await StartAsync(new StackSetup { StepDelay = TimeSpan.FromMilliseconds(250) });
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber());

        // The code does not exist yet, so the early one can only be a guess: Vonage must never see it.
        await RaiseStampedAsync(stack, id, stack.WrongCode());
        var early = (await stack.Client.GetInstanceAsync(id))!.ReadCustomStatusAs<OnboardingStatus>();
        Assert.NotEqual(OnboardingStage.WaitingForOtp, early?.Stage);

        var waiting = await stack.WaitForStatusAsync(id, s => s is { Stage: OnboardingStage.WaitingForOtp } && Verdicts(s).Contains(OtpVerdicts.BeforeCodeSent), "the early code recorded");
        Assert.Equal(5, waiting.Otp!.AttemptsLeft);
        var (code, _) = await stack.SandboxOtpAsync(waiting.DeploymentId!);
        await RaiseStampedAsync(stack, id, code);

        Assert.Equal(OnboardingStage.Completed, (await stack.CompletionAsync(id)).ReadOutputAs<OnboardingOutput>()!.Stage);
        Assert.Equal(1, await stack.SandboxCountAsync(Verify, "201"));
        Assert.Equal(0, await stack.SandboxCountAsync(Verify, "400") + await stack.SandboxCountAsync(Verify, "422"));
        await stack.AssertNoPlaintextSecretsAsync(id);
    }

    [Fact]
    public async Task Otp_RealCodeRaisedAfterItWasSentButBeforeThePollSawIt_IsBufferedAndVerified()
    {
        // The code is sent within ~60 ms, but the workflow's first status poll comes only after 3 s.
        await using var stack = await StartAsync(new StackSetup { Settings = new() { ["Onboarding:ExpectedCodeSentAfter"] = "00:00:03" } });
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber());
        var deploymentId = (await stack.WaitForStatusAsync(id, s => s.DeploymentId is not null, "the deployment")).DeploymentId!;
        await Poll.UntilAsync(async () => await stack.VonageStateAsync(deploymentId) == "CODE_SENT", "the sandbox to send the code");
        var (code, _) = await stack.SandboxOtpAsync(deploymentId);

        await RaiseStampedAsync(stack, id, code);
        var raised = (await stack.Client.GetInstanceAsync(id))!.ReadCustomStatusAs<OnboardingStatus>();
        Assert.Equal(OnboardingStage.WaitingForCluster, raised?.Stage);

        var done = await stack.CompletionAsync(id);
        Assert.Equal(OnboardingStage.Completed, done.ReadOutputAs<OnboardingOutput>()!.Stage);
        Assert.Equal([OtpVerdicts.Verified], Verdicts(done.ReadCustomStatusAs<OnboardingStatus>()!));
        Assert.Equal(1, await stack.SandboxCountAsync(Verify, "201"));
        await stack.AssertNoPlaintextSecretsAsync(id);
    }

    [Fact]
    public async Task SmsCodes_FiveFromAStrangerRightAfterTheStart_NeverReachVonageAndTheRealCodeCompletes()
    {
        // The reproduction: five SMS codes right after the start ended the onboarding on their own. Steps of
        // 1 s keep the code unsent for ~3 s, well past the second an SMS timestamp may be early by.
        await using var stack = await StartAsync(new StackSetup { StepDelay = TimeSpan.FromSeconds(1) });
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber());
        for (var i = 1; i <= 5; i++)
        {
            await RaiseStampedAsync(stack, id, stack.WrongCode(), OtpSources.Sms($"STRANGER-{i}"));
        }

        var waiting = await stack.WaitForStatusAsync(id, s => s is { Stage: OnboardingStage.WaitingForOtp } && Verdicts(s).Count(v => v == OtpVerdicts.BeforeCodeSent) == 5, "five early codes recorded");
        Assert.Equal(5, waiting.Otp!.AttemptsLeft);
        Assert.Equal(0, await stack.SandboxCountAsync(Verify, "400") + await stack.SandboxCountAsync(Verify, "422"));
        var (code, _) = await stack.SandboxOtpAsync(waiting.DeploymentId!);
        await RaiseStampedAsync(stack, id, code, OtpSources.Sms("REAL"));

        var done = await stack.CompletionAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(OnboardingStage.Completed, done.ReadOutputAs<OnboardingOutput>()!.Stage);
        Assert.Equal(1, await stack.SandboxCountAsync(Verify, "201"));
        Assert.Equal(0, await stack.SandboxCountAsync(Delete, "204"));
        await stack.AssertNoPlaintextSecretsAsync(id);
    }

    [Fact]
    public async Task SmsCodes_FiveWrongOnesWhileWaiting_KeepTheOnboardingWaitingAndTheRealCodeCompletesIt()
    {
        await using var stack = await StartAsync();
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber());
        var deploymentId = (await stack.WaitForOtpAsync(id)).DeploymentId!;
        var (first, _) = await stack.SandboxOtpAsync(deploymentId);

        for (var i = 1; i <= 5; i++)
        {
            await RaiseStampedAsync(stack, id, stack.WrongCode(first), OtpSources.Sms($"WRONG-{i}"));
        }

        var afterWrong = await stack.WaitForStatusAsync(id, s => s is { Stage: OnboardingStage.WaitingForOtp } && Verdicts(s).Count(v => v == OtpVerdicts.Wrong) == 5, "five wrong SMS codes verified");
        Assert.Equal(5, afterWrong.Otp!.AttemptsLeft);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await stack.Client.GetInstanceAsync(id))!.RuntimeStatus);

        // Vonage (the sandbox) refuses every code after five wrong ones: the window ends and a new code is sent.
        await RaiseStampedAsync(stack, id, first, OtpSources.Sms("REAL-1"));
        var resent = await stack.WaitForStatusAsync(id, s => s is { Stage: OnboardingStage.WaitingForOtp, Otp.Resends: 1 }, "a new code after Vonage's attempt limit");
        await RaiseStampedAsync(stack, id, (await stack.SandboxOtpAsync(deploymentId)).Code, OtpSources.Sms("REAL-2"));

        var done = await stack.CompletionAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(OnboardingStage.Completed, done.ReadOutputAs<OnboardingOutput>()!.Stage);
        Assert.Equal(5, resent.Otp!.AttemptsLeft);
        Assert.Equal(
            [OtpVerdicts.Wrong, OtpVerdicts.Wrong, OtpVerdicts.Wrong, OtpVerdicts.Wrong, OtpVerdicts.Wrong, OtpVerdicts.Refused, OtpVerdicts.Verified],
            Verdicts(done.ReadCustomStatusAs<OnboardingStatus>()!));
        Assert.Equal(1, await stack.SandboxCountAsync(Resend, "202"));
        Assert.Equal(1, await stack.SandboxCountAsync(Verify, "201"));
        await stack.AssertNoPlaintextSecretsAsync(id);
    }

    [Fact]
    public async Task Otp_ReceivedBeforeAResend_IsRecordedAndNeverSentToVonage()
    {
        await using var stack = await StartAsync();
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber());
        var deploymentId = (await stack.WaitForOtpAsync(id)).DeploymentId!;
        var (first, _) = await stack.SandboxOtpAsync(deploymentId);
        var typedAt = DateTime.UtcNow;

        await stack.Client.RaiseEventAsync(id, OnboardingEvents.Resend, new ResendRequested("operator"));
        await stack.WaitForStatusAsync(id, s => s is { Stage: OnboardingStage.WaitingForOtp, Otp.Resends: 1 }, "the resend");
        // Typed before the new code was asked for, submitted after: the code Vonage replaced.
        await stack.Client.RaiseEventAsync(id, OnboardingEvents.Otp, stack.Starter.ProtectOtp(first, OtpSources.Api) with { ReceivedAt = typedAt });
        await stack.WaitForStatusAsync(id, s => Verdicts(s).Contains(OtpVerdicts.EarlierWindow), "the stale code recorded");
        await RaiseStampedAsync(stack, id, (await stack.SandboxOtpAsync(deploymentId)).Code);

        var done = await stack.CompletionAsync(id);
        Assert.Equal(OnboardingStage.Completed, done.ReadOutputAs<OnboardingOutput>()!.Stage);
        Assert.Equal([OtpVerdicts.EarlierWindow, OtpVerdicts.Verified], Verdicts(done.ReadCustomStatusAs<OnboardingStatus>()!));
        Assert.Equal(1, await stack.SandboxCountAsync(Verify, "201"));
        Assert.Equal(0, await stack.SandboxCountAsync(Verify, "400") + await stack.SandboxCountAsync(Verify, "422"));
        await stack.AssertNoPlaintextSecretsAsync(id);
    }

    [Fact]
    public async Task NumberInUse_ActiveDeploymentOfTheNumber_IsAdoptedAndReachesReady()
    {
        await using var stack = await StartAsync();
        var number = OnboardingStack.NewNumber();
        // A deployment Vonage already holds for the number, as after a provision whose answer was lost.
        var existing = await stack.Engine.Services.GetRequiredService<IDeploymentsClient>().ProvisionAsync(new ProvisionDeploymentRequest(
            "44", number, stack.Remember($"cert-{Guid.NewGuid():N}"), OtpMethod.Sms, "1234567890", stack.Remember(OnboardingStack.RandomDigits(6))));

        var id = await stack.StartOnboardingAsync(number);
        var waiting = await stack.WaitForOtpAsync(id);
        Assert.Equal(existing.DeploymentId, waiting.DeploymentId);
        await stack.RaiseOtpAsync(id, (await stack.SandboxOtpAsync(existing.DeploymentId)).Code);

        var done = await stack.CompletionAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var output = done.ReadOutputAs<OnboardingOutput>()!;
        Assert.Equal(OnboardingStage.Completed, output.Stage);
        Assert.Equal(existing.DeploymentId, output.DeploymentId);
        Assert.Equal("READY", output.State);
        Assert.Equal(1, await stack.SandboxCountAsync(Provision, "202"));
        Assert.Equal(1, await stack.SandboxCountAsync(Provision, "409"));
        Assert.Contains("adopted active deployment", stack.Logs.Text, StringComparison.Ordinal);
        await stack.AssertNoPlaintextSecretsAsync(id);
    }

    [Fact]
    public async Task Resend_ThrottledByVonage_WaitsItsRetryAfterAndResends()
    {
        await using var stack = await StartAsync(new StackSetup
        {
            SmsWebhook = true,
            // Codes at most every 1.5 s, windows of 300 ms: the first resend comes too early. The client passes the
            // 429 on (no Retry-After is short enough for it), so the workflow must wait and ask again.
            ResendCooldown = TimeSpan.FromMilliseconds(1500),
            Settings = new()
            {
                ["Onboarding:OtpWindow"] = "00:00:00.300",
                ["Onboarding:MaxResends"] = "1",
                ["Vonage:Resilience:MaxRetryAfter"] = "00:00:00",
            },
        });
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber("0001"));

        var done = await stack.CompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("READY", done.ReadOutputAs<OnboardingOutput>()!.State);
        Assert.True(await stack.SandboxCountAsync(Resend, "429") >= 1, "The first resend was not throttled.");
        Assert.Equal(1, await stack.SandboxCountAsync(Resend, "202"));
        Assert.Single(stack.SmsDeliveries);
        await stack.AssertNoPlaintextSecretsAsync(id);
    }

    [Fact]
    public async Task TwoCodes_AcrossAResendWindow_TheWaitAfterTheTimerStillTakesTheNextCode()
    {
        // The isolated worker's hazard: a wait cancelled when a window's timer wins can swallow the next event. A wrong
        // code in the first window, the window ends and a new code is sent, and that code must reach the workflow.
        await using var stack = await StartAsync(new StackSetup
        {
            Settings = new() { ["Onboarding:OtpWindow"] = "00:00:01.500", ["Onboarding:MaxResends"] = "1" },
        });
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber());
        var deploymentId = (await stack.WaitForOtpAsync(id)).DeploymentId!;
        var (first, _) = await stack.SandboxOtpAsync(deploymentId);

        await stack.RaiseOtpAsync(id, stack.WrongCode(first));
        await stack.WaitForStatusAsync(id, s => s is { Stage: OnboardingStage.WaitingForOtp, Otp: { AttemptsLeft: 4, Resends: 0 } }, "the wrong code verified");
        await stack.WaitForStatusAsync(id, s => s is { Stage: OnboardingStage.WaitingForOtp, Otp.Resends: 1 }, "the window to end and a new code to be sent");
        var (second, _) = await stack.SandboxOtpAsync(deploymentId);
        await stack.RaiseOtpAsync(id, second);

        var done = await stack.CompletionAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(OnboardingStage.Completed, done.ReadOutputAs<OnboardingOutput>()!.Stage);
        Assert.Equal(1, await stack.SandboxCountAsync(Resend, "202"));
        Assert.Equal(1, await stack.SandboxCountAsync(Verify, "201"));
        Assert.Equal(1, await stack.SandboxCountAsync(Verify, "400") + await stack.SandboxCountAsync(Verify, "422"));
        await stack.AssertNoPlaintextSecretsAsync(id);
    }

    [Fact]
    public async Task Profile_TheApiRejects_CompletesWithWarningsAndTheNumberReady()
    {
        await using var stack = await StartAsync();
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
        await stack.AssertNoPlaintextSecretsAsync(id);
    }

    [Fact]
    public async Task Photo_Rejected_CompletesWithWarningsAndTheProfileApplied()
    {
        await using var stack = await StartAsync();
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
        await stack.AssertNoPlaintextSecretsAsync(id);
    }

    [Fact]
    public async Task SmsWebhook_ResentByVonageWithTheSameMessageId_IsVerifiedOnce()
    {
        await using var stack = await StartAsync(new StackSetup { SmsWebhook = true, FailFirstSmsDelivery = true });
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber());

        var done = await stack.CompletionAsync(id);

        Assert.Equal(OnboardingStage.Completed, done.ReadOutputAs<OnboardingOutput>()!.Stage);
        var deliveries = stack.SmsDeliveries.ToList();
        Assert.True(deliveries.Count >= 2, "The receiver failed the first delivery, so the sandbox re-sent it.");
        Assert.Single(deliveries.Select(d => d.MessageId).Distinct());
        Assert.Equal(1, await stack.SandboxCountAsync(Verify, "201"));
        Assert.Equal(0, await stack.SandboxCountAsync(Verify, "409") + await stack.SandboxCountAsync(Verify, "400") + await stack.SandboxCountAsync(Verify, "422"));
        await stack.AssertNoPlaintextSecretsAsync(id);
    }

    private Task<OnboardingStack> StartAsync(StackSetup? setup = null) => OnboardingStack.StartAsync(Engine, setup);

    /// <summary>Raises a code stamped with the time it was received, as the API and the SMS webhook stamp it.</summary>
    private static async Task RaiseStampedAsync(OnboardingStack stack, string instanceId, string code, string source = OtpSources.Api) =>
        await stack.Client.RaiseEventAsync(instanceId, OnboardingEvents.Otp, stack.Starter.ProtectOtp(stack.Remember(code), source) with { ReceivedAt = DateTime.UtcNow });

    private static List<string> Verdicts(OnboardingStatus status) =>
        [.. status.Timeline!.Entries.Where(e => e.Kind == TimelineKind.OtpReceived).Select(e => e.Verdict!)];
}

/// <summary>The scenarios on the local host's embedded SQLite engine.</summary>
public sealed class OnboardingScenariosOnSqlite : OnboardingScenarios
{
    protected override OnboardingEngineFactory Engine => SqliteOnboardingEngine.Factory;
}

/// <summary>The scenarios on the real Durable Task worker through the Functions host's adapters.</summary>
public sealed class OnboardingScenariosOnDurableTask : OnboardingScenarios
{
    protected override OnboardingEngineFactory Engine => Engines.DurableTaskEngine.Factory;
}
