using WabaOrchestrator.Onboarding.Activities;
using static WabaOrchestrator.Onboarding.Tests.Workflow.WorkflowScenario;

namespace WabaOrchestrator.Onboarding.Tests.Workflow;

/// <summary>
/// Codes the workflow must not trust: anyone can text the number, so wrong SMS codes never end the onboarding, and
/// codes received before the current code was sent never reach Vonage. <see cref="WorkflowScenario.HappyVonage"/>
/// provisions at 09:00:00 (INITIALIZING), polls at 09:00:02 (CREATING_CLUSTER) and at 09:00:06 (CODE_SENT).
/// </summary>
public sealed class OtpTrustDecisionTests
{
    private static readonly DateTime Start = new(2026, 11, 22, 9, 0, 0, DateTimeKind.Utc);

    private static readonly DateTime LastPollBeforeTheCode = Start.AddSeconds(2);

    [Fact]
    public async Task SmsCodes_FiveWrongOnes_KeepTheOnboardingWaitingAndTheRightOneCompletesIt()
    {
        var context = HappyVonage();
        var run = context.Run(Input());
        context.UntilWaitingForOtp();

        for (var i = 1; i <= 5; i++)
        {
            context.Raise(OnboardingEvents.Otp, Sms($"00000{i}", $"MSG-{i}", context.Now));
        }

        Assert.False(run.IsCompleted);
        Assert.Equal(OnboardingStage.WaitingForOtp, context.Status.Stage);
        Assert.Equal(5, context.Status.Otp!.AttemptsLeft);
        Assert.Equal(5, context.CallsTo(nameof(VerifyOtpActivity)).Count());
        Assert.Equal(5, context.Status.Timeline!.Entries.Count(e => e is { Kind: TimelineKind.OtpReceived, Source: "sms", Verdict: OtpVerdicts.Wrong }));
        Assert.Equal(1, context.PendingWaits(OnboardingEvents.Otp));

        context.Raise(OnboardingEvents.Otp, Sms("123456", "MSG-6", context.Now));
        context.FireTimersUntil(() => run.IsCompleted);
        Assert.Equal(OnboardingStage.Completed, (await run).Stage);
        Assert.Empty(context.CallsTo(nameof(DeleteDeploymentActivity)));
    }

    [Fact]
    public async Task Verify_WrongSmsCodesBetweenOperatorCodes_OnlyTheOperatorsCountTowardsMaxAttempts()
    {
        var context = HappyVonage();
        var run = context.Run(Input(new WorkflowSettings { MaxAttempts = 2 }));
        context.UntilWaitingForOtp();

        context.Raise(OnboardingEvents.Otp, Operator("000000", context.Now));
        context.Raise(OnboardingEvents.Otp, Sms("111111", "MSG-1", context.Now));
        context.Raise(OnboardingEvents.Otp, Sms("222222", "MSG-2", context.Now));
        context.Raise(OnboardingEvents.Otp, Sms("333333", "MSG-3", context.Now));
        Assert.False(run.IsCompleted);
        Assert.Equal(1, context.Status.Otp!.AttemptsLeft);

        context.Raise(OnboardingEvents.Otp, Operator("444444", context.Now));

        var failure = await Assert.ThrowsAsync<OnboardingFailedException>(() => run);
        Assert.Contains("2 wrong codes", failure.Message, StringComparison.Ordinal);
        Assert.Equal(5, context.CallsTo(nameof(VerifyOtpActivity)).Count());
    }

    [Fact]
    public async Task SmsCode_ReceivedBeforeTheCodeWasSent_IsRecordedAndNeverVerified()
    {
        var context = HappyVonage();
        var run = context.Run(Input());
        // Right after the start, while the cluster is still being created: buffered until the OTP wait.
        context.Raise(OnboardingEvents.Otp, Sms("123456", "MSG-EARLY", Start));
        context.UntilWaitingForOtp();

        Assert.Empty(context.CallsTo(nameof(VerifyOtpActivity)));
        var early = Assert.Single(context.Status.Timeline!.Entries, e => e.Kind == TimelineKind.OtpReceived);
        Assert.Equal(("sms", "MSG-EARLY", OtpVerdicts.BeforeCodeSent), (early.Source, early.DeliveryId, early.Verdict));
        Assert.Equal(5, context.Status.Otp!.AttemptsLeft);
        Assert.Equal(OnboardingStage.WaitingForOtp, context.Status.Stage);

        context.Raise(OnboardingEvents.Otp, Sms("123456", "MSG-REAL", context.Now));
        context.FireTimersUntil(() => run.IsCompleted);
        Assert.Equal(OnboardingStage.Completed, (await run).Stage);
        Assert.Single(context.CallsTo(nameof(VerifyOtpActivity)));
    }

    [Fact]
    public async Task OperatorCode_RaisedBeforeTheCodeWasSent_IsNotVerified()
    {
        var context = HappyVonage();
        var run = context.Run(Input());
        context.Raise(OnboardingEvents.Otp, Operator("000000", Start.AddSeconds(1)));

        context.UntilWaitingForOtp();

        Assert.Empty(context.CallsTo(nameof(VerifyOtpActivity)));
        Assert.Equal(OtpVerdicts.BeforeCodeSent, Assert.Single(context.Status.Timeline!.Entries, e => e.Kind == TimelineKind.OtpReceived).Verdict);
        Assert.Equal(5, context.Status.Otp!.AttemptsLeft);
        Assert.False(run.IsCompleted);
    }

    [Theory]
    [InlineData("api", 0)]
    [InlineData("api", 1500)]
    // Vonage stamps an SMS in whole seconds: 500 ms before the poll may be a genuine code that came just after it.
    [InlineData("sms:MSG-1", -500)]
    [InlineData("sms:MSG-1", 1500)]
    public async Task Code_ReceivedAfterTheLastPollBeforeTheCodeButBeforeThePollThatSawIt_IsBufferedAndVerified(string source, int millisecondsAfterThePoll)
    {
        var context = HappyVonage();
        var run = context.Run(Input());
        context.FireTimer();
        Assert.Equal(LastPollBeforeTheCode, context.Now);
        Assert.Equal(OnboardingStage.WaitingForCluster, context.Status.Stage);

        // The code was sent after that poll; the workflow learns of it only at the next one.
        context.Raise(OnboardingEvents.Otp, new OtpSubmitted("wsp1:123456", source, LastPollBeforeTheCode.AddMilliseconds(millisecondsAfterThePoll)));
        context.FireTimersUntil(() => run.IsCompleted);

        Assert.Equal(OnboardingStage.Completed, (await run).Stage);
        Assert.Single(context.CallsTo(nameof(VerifyOtpActivity)));
    }

    [Fact]
    public async Task SmsCode_StampedMoreThanASecondBeforeTheLastPollBeforeTheCode_IsNotVerified()
    {
        var context = HappyVonage();
        var run = context.Run(Input());
        context.FireTimer();

        context.Raise(OnboardingEvents.Otp, Sms("123456", "MSG-1", LastPollBeforeTheCode.AddMilliseconds(-1001)));
        context.UntilWaitingForOtp();

        Assert.Empty(context.CallsTo(nameof(VerifyOtpActivity)));
        Assert.False(run.IsCompleted);
    }

    [Fact]
    public async Task Code_ReceivedBeforeAResend_IsRecordedAsEarlierWindowAndNeverVerified()
    {
        var context = HappyVonage();
        var run = context.Run(Input(new WorkflowSettings { OtpWindow = TimeSpan.FromMinutes(5) }));
        context.UntilWaitingForOtp();
        var firstWindow = context.Now;

        context.FireTimer();
        Assert.Single(context.CallsTo(nameof(ResendOtpActivity)));

        // Texted during the first window, delivered late: Vonage has replaced that code.
        context.Raise(OnboardingEvents.Otp, Sms("123456", "MSG-OLD", firstWindow.AddMinutes(1)));
        Assert.Empty(context.CallsTo(nameof(VerifyOtpActivity)));
        var stale = Assert.Single(context.Status.Timeline!.Entries, e => e.Kind == TimelineKind.OtpReceived);
        Assert.Equal(OtpVerdicts.EarlierWindow, stale.Verdict);
        Assert.Equal(OnboardingStage.WaitingForOtp, context.Status.Stage);

        context.Raise(OnboardingEvents.Otp, Sms("123456", "MSG-NEW", context.Now));
        context.FireTimersUntil(() => run.IsCompleted);
        Assert.Equal(OnboardingStage.Completed, (await run).Stage);
        Assert.Single(context.CallsTo(nameof(VerifyOtpActivity)));
    }

    [Fact]
    public async Task Code_ReceivedBeforeAnOperatorsResendRequest_IsRecordedAsEarlierWindow()
    {
        var context = HappyVonage();
        var run = context.Run(Input());
        context.UntilWaitingForOtp();
        // Typed a second before the operator asked for a new code, and raised after it.
        var beforeTheResend = context.Now.AddSeconds(-1);

        context.Raise(OnboardingEvents.Resend, new ResendRequested("operator"));
        context.Raise(OnboardingEvents.Otp, Operator("123456", beforeTheResend));

        Assert.Single(context.CallsTo(nameof(ResendOtpActivity)));
        Assert.Empty(context.CallsTo(nameof(VerifyOtpActivity)));
        Assert.Equal(OtpVerdicts.EarlierWindow, context.Status.Timeline!.Entries.Last(e => e.Kind == TimelineKind.OtpReceived).Verdict);
        Assert.Equal(5, context.Status.Otp!.AttemptsLeft);
        Assert.False(run.IsCompleted);
    }

    private static OtpSubmitted Sms(string code, string messageId, DateTime receivedAt) => new($"wsp1:{code}", OtpSources.Sms(messageId), receivedAt);

    private static OtpSubmitted Operator(string code, DateTime receivedAt) => new($"wsp1:{code}", OtpSources.Api, receivedAt);
}
