using WabaOrchestrator.Onboarding.Activities;
using WabaOrchestrator.Vonage.Deployments;
using static WabaOrchestrator.Onboarding.Tests.Workflow.WorkflowScenario;

namespace WabaOrchestrator.Onboarding.Tests.Workflow;

/// <summary>Decisions about repeated deliveries, Vonage's attempt limit and the poll schedule.</summary>
public sealed class OtpDeliveryDecisionTests
{
    [Fact]
    public async Task Otp_RepeatedSmsDelivery_IsIgnoredWithoutCallingVerify()
    {
        var context = HappyVonage();
        var run = context.Run(Input());
        context.UntilWaitingForOtp();

        context.Raise(OnboardingEvents.Otp, new OtpSubmitted("wsp1:000000", OtpSources.Sms("MSG-1")));
        context.Raise(OnboardingEvents.Otp, new OtpSubmitted("wsp1:000000", OtpSources.Sms("MSG-1")));

        Assert.Single(context.CallsTo(nameof(VerifyOtpActivity)));
        // A wrong SMS code never uses up the operator's attempts.
        Assert.Equal(5, context.Status.Otp!.AttemptsLeft);
        Assert.Equal(1, context.PendingWaits(OnboardingEvents.Otp));

        context.Raise(OnboardingEvents.Otp, new OtpSubmitted("wsp1:123456", OtpSources.Sms("MSG-2")));
        context.FireTimersUntil(() => run.IsCompleted);
        Assert.Equal(OnboardingStage.Completed, (await run).Stage);
        Assert.Equal(2, context.CallsTo(nameof(VerifyOtpActivity)).Count());
    }

    [Fact]
    public async Task Otp_SameCodeTypedTwiceByAnOperator_IsVerifiedBothTimes()
    {
        var context = HappyVonage();
        var run = context.Run(Input());
        context.UntilWaitingForOtp();

        context.Raise(OnboardingEvents.Otp, new OtpSubmitted("wsp1:000000", OtpSources.Api));
        context.Raise(OnboardingEvents.Otp, new OtpSubmitted("wsp1:000000", OtpSources.Api));

        Assert.Equal(2, context.CallsTo(nameof(VerifyOtpActivity)).Count());
        Assert.Equal(3, context.Status.Otp!.AttemptsLeft);
        Assert.False(run.IsCompleted);
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData("api", false)]
    [InlineData("sms:0A1B2C", true)]
    [InlineData("sms:", false)]
    [InlineData(":x", false)]
    public void OtpSources_NamesDelivery_OnlyWithAKindAndAnId(string source, bool expected) =>
        Assert.Equal(expected, OtpSources.NamesDelivery(source));

    [Fact]
    public async Task Verify_WhenVonageSaysTooManyAttempts_ResendsAtOnceAndCancelsTheWindow()
    {
        var verifies = 0;
        var context = HappyVonage()
            .On(nameof(VerifyOtpActivity), _ => ++verifies == 1
                ? new VerificationResult(VerifyOutcome.TooManyAttempts, "Too many attempts.")
                : new VerificationResult(VerifyOutcome.Verified, "verified"))
            .On(nameof(GetDeploymentActivity), _ => At(verifies > 1 ? DeploymentState.Ready : DeploymentState.CodeSent));
        var run = context.Run(Input());
        context.UntilWaitingForOtp();
        var window = context.PendingTimer;

        context.Raise(OnboardingEvents.Otp, Code("000000"));

        Assert.True(window.Promise.Task.IsCanceled);
        Assert.Single(context.CallsTo(nameof(ResendOtpActivity)));
        Assert.Equal(1, context.Status.Otp!.Resends);
        Assert.Equal(OnboardingStage.WaitingForOtp, context.Status.Stage);

        context.Raise(OnboardingEvents.Otp, Code("123456"));
        context.FireTimersUntil(() => run.IsCompleted);
        Assert.Equal(OnboardingStage.Completed, (await run).Stage);
    }

    [Fact]
    public async Task Verify_TooManyAttemptsWithNoResendsLeft_FailsAndDeletes()
    {
        var context = HappyVonage().On(nameof(VerifyOtpActivity), _ => new VerificationResult(VerifyOutcome.TooManyAttempts, "Too many attempts."));
        var run = context.Run(Input(new WorkflowSettings { MaxResends = 0 }));
        context.UntilWaitingForOtp();

        context.Raise(OnboardingEvents.Otp, Code("000000"));

        var failure = await Assert.ThrowsAsync<OnboardingFailedException>(() => run);
        Assert.Contains("Too many attempts.", failure.Message, StringComparison.Ordinal);
        Assert.Single(context.CallsTo(nameof(DeleteDeploymentActivity)));
        Assert.All(context.Timers, t => Assert.True(t.Promise.Task.IsCompleted));
    }

    [Fact]
    public async Task Verify_Accepted_TrustsTheAnswerAndPollsForReadyAfterTheExpectedTime()
    {
        var verified = false;
        var context = HappyVonage().On(nameof(GetDeploymentActivity), _ => At(verified ? DeploymentState.Ready : DeploymentState.CodeSent));
        var settings = new WorkflowSettings { PollInterval = TimeSpan.FromSeconds(2), ExpectedCodeSentAfter = TimeSpan.FromSeconds(45), ExpectedReadyAfter = TimeSpan.FromSeconds(20) };
        var run = context.Run(Input(settings));

        Assert.Equal(context.Now + TimeSpan.FromSeconds(45), context.PendingTimer.FireAt);
        context.UntilWaitingForOtp();
        Assert.Single(context.CallsTo(nameof(GetDeploymentActivity)));

        verified = true;
        context.Raise(OnboardingEvents.Otp, Code("123456"));
        Assert.Equal(OnboardingStage.Finalizing, context.Status.Stage);
        Assert.Equal("CODE_VERIFIED", context.Status.VonageState);
        Assert.Equal(context.Now + TimeSpan.FromSeconds(20), context.PendingTimer.FireAt);

        context.FireTimersUntil(() => run.IsCompleted);
        Assert.Equal(OnboardingStage.Completed, (await run).Stage);
        Assert.Equal(2, context.CallsTo(nameof(GetDeploymentActivity)).Count());
    }

    [Fact]
    public async Task Polling_AfterAMissedExpectedTime_BacksOffFromThePollInterval()
    {
        var context = HappyVonage().On(nameof(GetDeploymentActivity), _ => At(DeploymentState.CreatingCluster));
        var settings = new WorkflowSettings
        {
            PollInterval = TimeSpan.FromSeconds(2),
            MaxPollInterval = TimeSpan.FromSeconds(10),
            ExpectedCodeSentAfter = TimeSpan.FromSeconds(30),
            PhaseTimeout = TimeSpan.FromMinutes(1),
        };
        var run = context.Run(Input(settings));

        var delays = new List<double>();
        while (!run.IsCompleted)
        {
            delays.Add((context.PendingTimer.FireAt - context.Now).TotalSeconds);
            context.FireTimer();
        }

        Assert.Equal([30, 2, 4, 8, 10, 6], delays);
        await Assert.ThrowsAsync<OnboardingFailedException>(() => run);
    }
}
