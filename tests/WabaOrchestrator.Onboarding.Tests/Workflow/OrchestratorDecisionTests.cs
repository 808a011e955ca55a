using WabaOrchestrator.Onboarding.Activities;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Profile;
using static WabaOrchestrator.Onboarding.Tests.Workflow.WorkflowScenario;

namespace WabaOrchestrator.Onboarding.Tests.Workflow;

public sealed class OrchestratorDecisionTests
{
    [Fact]
    public async Task HappyPath_ProvisionsPollsVerifiesAndAppliesProfile()
    {
        var context = HappyVonage();
        var run = context.Run(Input(profile: new BusinessProfile(About: "Fresh bread"), photoUrl: "https://example.com/logo.png"));

        context.UntilWaitingForOtp();
        context.Raise(OnboardingEvents.Otp, Code("123456"));
        context.FireTimersUntil(() => run.IsCompleted);

        var output = await run;
        Assert.Equal(OnboardingStage.Completed, output.Stage);
        Assert.Equal(DeploymentId, output.DeploymentId);
        Assert.Equal("READY", output.State);
        Assert.Equal("api-key-1", output.ApiKey);
        Assert.True(output.Profile!.Applied);
        Assert.True(output.Photo!.Applied);
        Assert.Empty(output.Warnings);
        Assert.NotNull(output.Timestamps.CodeSent);
        Assert.NotNull(output.Timestamps.Verified);
        Assert.NotNull(output.Timestamps.Ready);
        Assert.Single(context.CallsTo(nameof(ProvisionDeploymentActivity)));
        Assert.Empty(context.CallsTo(nameof(DeleteDeploymentActivity)));
        Assert.Equal(OnboardingStage.Completed, context.Status.Stage);
    }

    [Fact]
    public async Task Verify_WithWrongCode_WaitsForAnotherCode()
    {
        var context = HappyVonage();
        var run = context.Run(Input());
        context.UntilWaitingForOtp();

        context.Raise(OnboardingEvents.Otp, Code("000000"));

        Assert.False(run.IsCompleted);
        Assert.Equal(OnboardingStage.WaitingForOtp, context.Status.Stage);
        Assert.Equal(4, context.Status.Otp!.AttemptsLeft);
        Assert.Equal(1, context.PendingWaits(OnboardingEvents.Otp));

        context.Raise(OnboardingEvents.Otp, Code("123456"));
        context.FireTimersUntil(() => run.IsCompleted);
        Assert.Equal(OnboardingStage.Completed, (await run).Stage);
        Assert.Equal(2, context.CallsTo(nameof(VerifyOtpActivity)).Count());
    }

    [Fact]
    public async Task Verify_AfterMaxAttemptsWrongCodes_FailsAndDeletesDeployment()
    {
        var context = HappyVonage();
        var run = context.Run(Input(new WorkflowSettings { MaxAttempts = 2 }));
        context.UntilWaitingForOtp();

        context.Raise(OnboardingEvents.Otp, Code("000000"));
        context.Raise(OnboardingEvents.Otp, Code("111111"));

        var failure = await Assert.ThrowsAsync<OnboardingFailedException>(() => run);
        Assert.Contains("2 wrong codes", failure.Message, StringComparison.Ordinal);
        Assert.Single(context.CallsTo(nameof(DeleteDeploymentActivity)));
        Assert.Equal(OnboardingStage.Failed, context.Status.Stage);
        Assert.Equal(failure.Message, context.Status.Error);
    }

    [Fact]
    public async Task OtpWindow_WhenItEnds_ResendsAndKeepsTheOnePendingOtpWait()
    {
        var context = HappyVonage();
        var settings = new WorkflowSettings { OtpWindow = TimeSpan.FromMinutes(5) };
        var run = context.Run(Input(settings));
        context.UntilWaitingForOtp();
        var windowTimer = context.PendingTimer;
        Assert.Equal(context.Now + TimeSpan.FromMinutes(5), windowTimer.FireAt);

        context.FireTimer();

        Assert.Single(context.CallsTo(nameof(ResendOtpActivity)));
        Assert.Equal(OtpMethod.Sms, ((ResendOtpInput)context.CallsTo(nameof(ResendOtpActivity)).Single().Input!).Method);
        Assert.Equal(1, context.Status.Otp!.Resends);
        Assert.Equal(context.Now + TimeSpan.FromMinutes(5), context.PendingTimer.FireAt);
        // One wait across windows: re-creating a cancelled wait can swallow the next event on Durable Functions.
        Assert.Single(context.EventWaits, w => w.Name == OnboardingEvents.Otp);

        context.Raise(OnboardingEvents.Otp, Code("123456"));
        context.FireTimersUntil(() => run.IsCompleted);
        Assert.Equal(OnboardingStage.Completed, (await run).Stage);
    }

    [Fact]
    public async Task OtpWindow_AfterMaxResends_FailsAndDeletesDeployment()
    {
        var context = HappyVonage();
        var run = context.Run(Input(new WorkflowSettings { MaxResends = 2 }));
        context.UntilWaitingForOtp();

        context.FireTimer();
        context.FireTimer();
        context.FireTimer();

        var failure = await Assert.ThrowsAsync<OnboardingFailedException>(() => run);
        Assert.Contains("after 2 resends", failure.Message, StringComparison.Ordinal);
        Assert.Equal(2, context.CallsTo(nameof(ResendOtpActivity)).Count());
        Assert.Equal(DeploymentId, context.CallsTo(nameof(DeleteDeploymentActivity)).Single().Input);
    }

    [Fact]
    public async Task Verify_WhenCodeArrivesAfterWindowTimerCancelled_DoesNotLeaveTimersPending()
    {
        var context = HappyVonage();
        var run = context.Run(Input());
        context.UntilWaitingForOtp();
        var window = context.PendingTimer;

        context.Raise(OnboardingEvents.Otp, Code("123456"));

        Assert.True(window.Promise.Task.IsCanceled);
        context.FireTimersUntil(() => run.IsCompleted);
        await run;
        Assert.All(context.Timers, t => Assert.True(t.Promise.Task.IsCompleted));
    }

    [Fact]
    public async Task Cancel_WhileWaitingForOtp_DeletesDeploymentAndEndsCancelled()
    {
        var context = HappyVonage();
        var run = context.Run(Input());
        context.UntilWaitingForOtp();

        context.Raise(OnboardingEvents.Cancel, new CancelRequested("operator gave up"));

        var output = await run;
        Assert.Equal(OnboardingStage.Cancelled, output.Stage);
        Assert.Equal("DELETED", output.State);
        Assert.Equal("operator gave up", output.Reason);
        Assert.Single(context.CallsTo(nameof(DeleteDeploymentActivity)));
        Assert.All(context.Timers, t => Assert.True(t.Promise.Task.IsCompleted));
        Assert.Equal(OnboardingStage.Cancelled, context.Status.Stage);
        Assert.Equal("operator gave up", context.Status.Reason);
    }

    [Fact]
    public async Task Cancel_WhilePollingForCluster_IsHonouredAtTheTimer()
    {
        var context = HappyVonage();
        var run = context.Run(Input());

        context.Raise(OnboardingEvents.Cancel, new CancelRequested(null));

        Assert.Equal(OnboardingStage.Cancelled, (await run).Stage);
        Assert.Single(context.CallsTo(nameof(DeleteDeploymentActivity)));
        Assert.Empty(context.CallsTo(nameof(GetDeploymentActivity)));
    }

    [Fact]
    public async Task Cancel_RaisedBeforeTheFirstWait_IsBufferedAndHonoured()
    {
        var context = HappyVonage();
        context.Raise(OnboardingEvents.Cancel, new CancelRequested(null));

        var output = await context.Run(Input());

        Assert.Equal(OnboardingStage.Cancelled, output.Stage);
    }

    [Fact]
    public async Task Otp_RaisedBeforeCodeSentWithoutAReceiptTime_IsBufferedAndVerifiedAsBefore()
    {
        var context = HappyVonage();
        var run = context.Run(Input());
        // As raised by a version that did not stamp codes: trusted, since nothing says when it came.
        context.Raise(OnboardingEvents.Otp, Code("123456"));

        context.FireTimersUntil(() => run.IsCompleted);

        Assert.Equal(OnboardingStage.Completed, (await run).Stage);
        Assert.Single(context.CallsTo(nameof(VerifyOtpActivity)));
        Assert.Empty(context.CallsTo(nameof(ResendOtpActivity)));
    }

    [Fact]
    public async Task Error_WhilePollingForCluster_FailsWithVonageDetailAndDeletesDeployment()
    {
        var context = HappyVonage().OnSequence(nameof(GetDeploymentActivity), At(DeploymentState.CreatingCluster), At(DeploymentState.Error, "Invalid vname certificate"));
        var run = context.Run(Input());

        context.FireTimersUntil(() => run.IsCompleted);

        var failure = await Assert.ThrowsAsync<OnboardingFailedException>(() => run);
        Assert.Equal("Invalid vname certificate", failure.Message);
        Assert.Single(context.CallsTo(nameof(DeleteDeploymentActivity)));
        Assert.Equal("ERROR", context.Status.VonageState);
        Assert.Equal(
            [("GetDeployment", "ERROR"), ("DeleteDeployment", "Deleted")],
            context.Status.Timeline!.Entries.Where(e => e.Kind == TimelineKind.VonageCall).TakeLast(2).Select(e => (e.Call, e.Outcome)));
    }

    [Fact]
    public async Task Error_WithDeleteOnFailureOff_KeepsTheDeployment()
    {
        var context = HappyVonage().On(nameof(GetDeploymentActivity), _ => At(DeploymentState.Error, "Invalid vname certificate"));
        var run = context.Run(Input(new WorkflowSettings { DeleteDeploymentOnFailure = false }));

        context.FireTimersUntil(() => run.IsCompleted);

        await Assert.ThrowsAsync<OnboardingFailedException>(() => run);
        Assert.Empty(context.CallsTo(nameof(DeleteDeploymentActivity)));
    }

    [Fact]
    public async Task Provision_WhenNumberInUseNamesAReadyDeployment_AdoptsItAndSkipsTheOtp()
    {
        var context = HappyVonage()
            .On(nameof(ProvisionDeploymentActivity), _ => new ProvisionDeploymentResult(ProvisionOutcome.Adopted, At(DeploymentState.Ready), "Active deployment already exists with id dep-1"));

        var output = await context.Run(Input(profile: new BusinessProfile(About: "Hi")));

        Assert.Equal(OnboardingStage.Completed, output.Stage);
        Assert.DoesNotContain(context.EventWaits, w => w.Name == OnboardingEvents.Otp);
        Assert.Empty(context.CallsTo(nameof(GetDeploymentActivity)));
        Assert.Single(context.CallsTo(nameof(UpdateProfileActivity)));
    }

    [Fact]
    public async Task Provision_WhenVonageRejectsTheRequest_FailsWithoutDeleting()
    {
        var context = HappyVonage().On(nameof(ProvisionDeploymentActivity), _ => new ProvisionDeploymentResult(ProvisionOutcome.Rejected, null, "Invalid waba_id"));

        var failure = await Assert.ThrowsAsync<OnboardingFailedException>(() => context.Run(Input()));

        Assert.Contains("Invalid waba_id", failure.Message, StringComparison.Ordinal);
        Assert.Empty(context.CallsTo(nameof(DeleteDeploymentActivity)));
    }

    [Fact]
    public async Task Polling_BacksOffExponentiallyUpToTheCap()
    {
        var context = HappyVonage().On(nameof(GetDeploymentActivity), _ => At(DeploymentState.CreatingCluster));
        var settings = new WorkflowSettings { PollInterval = TimeSpan.FromSeconds(2), MaxPollInterval = TimeSpan.FromSeconds(10), PhaseTimeout = TimeSpan.FromMinutes(1) };
        var run = context.Run(Input(settings));

        var delays = new List<TimeSpan>();
        while (!run.IsCompleted)
        {
            var before = context.Now;
            var next = context.PendingTimer.FireAt;
            delays.Add(next - before);
            context.FireTimer();
        }

        Assert.Equal([2, 4, 8, 10, 10, 10, 10, 6], delays.Select(d => d.TotalSeconds));
        var failure = await Assert.ThrowsAsync<OnboardingFailedException>(() => run);
        Assert.StartsWith("Timed out after 00:01:00 waiting for the OTP to be sent", failure.Message, StringComparison.Ordinal);
        Assert.Single(context.CallsTo(nameof(DeleteDeploymentActivity)));
    }

    [Fact]
    public async Task Polling_ShowsTheNextPollTimeInTheStatus()
    {
        var context = HappyVonage();
        _ = context.Run(Input());

        Assert.Equal(OnboardingStage.WaitingForCluster, context.Status.Stage);
        Assert.Equal(context.PendingTimer.FireAt, context.Status.NextPollAt);
        Assert.Equal(DeploymentId, context.Status.DeploymentId);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Profile_RejectedByVonage_CompletesWithWarnings()
    {
        var context = HappyVonage().On(nameof(UpdateProfileActivity), _ => new StepOutcome(false, "about is too long"));
        var run = context.Run(Input(profile: new BusinessProfile(About: "x")));
        context.UntilWaitingForOtp();
        context.Raise(OnboardingEvents.Otp, Code("123456"));
        context.FireTimersUntil(() => run.IsCompleted);

        var output = await run;

        Assert.Equal(OnboardingStage.CompletedWithWarnings, output.Stage);
        Assert.Contains(output.Warnings, w => w.Contains("about is too long", StringComparison.Ordinal));
        Assert.False(output.Profile!.Applied);
        Assert.Empty(context.CallsTo(nameof(DeleteDeploymentActivity)));
    }

    [Fact]
    public async Task Verify_WhenVonageSaysNotAllowedButNumberIsVerified_Continues()
    {
        var context = HappyVonage();
        var verifiedElsewhere = false;
        context
            .On(nameof(VerifyOtpActivity), _ =>
            {
                verifiedElsewhere = true;
                return new VerificationResult(VerifyOutcome.NotAllowed, "conflict-deployment-state");
            })
            .On(nameof(GetDeploymentActivity), _ => At(verifiedElsewhere ? DeploymentState.Ready : DeploymentState.CodeSent));
        var run = context.Run(Input());
        context.UntilWaitingForOtp();

        context.Raise(OnboardingEvents.Otp, Code("123456"));
        context.FireTimersUntil(() => run.IsCompleted);

        Assert.Equal(OnboardingStage.Completed, (await run).Stage);
    }

    [Fact]
    public async Task ActivityFailure_AfterRetries_FailsWithTheReasonAndCleansUp()
    {
        var context = HappyVonage();
        var polls = 0;
        context.On(nameof(GetDeploymentActivity), _ => ++polls < 2 ? At(DeploymentState.CreatingCluster) : throw Failure(nameof(GetDeploymentActivity), "connection refused"));
        var run = context.Run(Input());

        context.FireTimersUntil(() => run.IsCompleted);

        var failure = await Assert.ThrowsAsync<OnboardingFailedException>(() => run);
        Assert.Equal("Vonage call GetDeploymentActivity failed: connection refused", failure.Message);
        Assert.Single(context.CallsTo(nameof(DeleteDeploymentActivity)));
        Assert.NotNull(context.CallsTo(nameof(GetDeploymentActivity)).First().Retry);
    }

    [Fact]
    public async Task VonageSteps_AreRetriedOnDurableTimers_AsOftenAsVonageAttemptsSays()
    {
        var context = HappyVonage();
        var run = context.Run(Input(new WorkflowSettings { VonageAttempts = 9 }));
        context.UntilWaitingForOtp();

        Assert.Equal(9, context.CallsTo(nameof(ProvisionDeploymentActivity)).Single().Retry!.MaxNumberOfAttempts);
        Assert.False(run.IsCompleted);
    }

    [Fact]
    public async Task Callbacks_AreSentOncePerStageChange_AndFailuresNeverFailTheOnboarding()
    {
        var context = HappyVonage().On(nameof(NotifyCallbackActivity), _ => throw Failure(nameof(NotifyCallbackActivity), "502"));
        var run = context.Run(Input(callbackUrl: "https://caller.example/hooks"));
        context.UntilWaitingForOtp();
        context.Raise(OnboardingEvents.Otp, Code("123456"));
        context.FireTimersUntil(() => run.IsCompleted);

        Assert.Equal(OnboardingStage.Completed, (await run).Stage);
        var stages = context.CallsTo(nameof(NotifyCallbackActivity)).Select(c => ((NotifyCallbackInput)c.Input!).Payload.Stage).ToList();
        Assert.Equal(
            [OnboardingStage.Provisioning, OnboardingStage.WaitingForCluster, OnboardingStage.WaitingForOtp, OnboardingStage.Verifying, OnboardingStage.Finalizing, OnboardingStage.Completed],
            stages);
        Assert.All(context.CallsTo(nameof(NotifyCallbackActivity)), c => Assert.Equal("https://caller.example/hooks", ((NotifyCallbackInput)c.Input!).CallbackUrl));
    }

    [Fact]
    public async Task Resend_WhenThrottled_WaitsForRetryAfterAndTriesAgain()
    {
        var context = HappyVonage().OnSequence(nameof(ResendOtpActivity),
            new ResendResult(ResendOutcome.Throttled, "throttled", TimeSpan.FromSeconds(30)),
            new ResendResult(ResendOutcome.Sent, "Code sent"));
        var run = context.Run(Input());
        context.UntilWaitingForOtp();

        context.FireTimer();
        Assert.Equal(context.Now + TimeSpan.FromSeconds(30), context.PendingTimer.FireAt);
        context.FireTimer();

        Assert.Equal(2, context.CallsTo(nameof(ResendOtpActivity)).Count());
        Assert.Equal(1, context.Status.Otp!.Resends);
        context.Raise(OnboardingEvents.Otp, Code("123456"));
        context.FireTimersUntil(() => run.IsCompleted);
        Assert.Equal(OnboardingStage.Completed, (await run).Stage);
    }
}
