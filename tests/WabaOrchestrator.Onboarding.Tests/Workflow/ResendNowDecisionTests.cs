using WabaOrchestrator.Onboarding.Activities;
using static WabaOrchestrator.Onboarding.Tests.Workflow.WorkflowScenario;

namespace WabaOrchestrator.Onboarding.Tests.Workflow;

/// <summary>"Resend now": an operator ends the OTP window early and Vonage sends a new code, within the resend limit.</summary>
public sealed class ResendNowDecisionTests
{
    private static readonly WorkflowSettings FiveMinuteWindows = new() { OtpWindow = TimeSpan.FromMinutes(5), MaxResends = 1 };

    [Fact]
    public void ResendNow_WhileWaitingForACode_EndsTheWindowEarlyAndAsksVonageForANewCode()
    {
        var context = HappyVonage();
        var run = context.Run(Input(FiveMinuteWindows));
        context.UntilWaitingForOtp();
        Assert.Equal(1, context.Status.Otp!.ResendsLeft);

        context.Raise(OnboardingEvents.Resend, new ResendRequested("operator"));

        Assert.Single(context.CallsTo(nameof(ResendOtpActivity)));
        Assert.Equal(OnboardingStage.WaitingForOtp, context.Status.Stage);
        Assert.Equal((1, 0), (context.Status.Otp!.Resends, context.Status.Otp.ResendsLeft));
        Assert.Equal(context.Now + FiveMinuteWindows.OtpWindow, context.Status.Otp.WindowEndsAt);
        var requested = Assert.Single(context.Status.Timeline!.Entries, e => e.Kind == TimelineKind.ResendRequested);
        Assert.Equal(("operator", "Accepted"), (requested.Source, requested.Outcome));
        Assert.Equal(TimelineKind.OtpResent, context.Status.Timeline.Entries[^1].Kind);
        Assert.False(run.IsCompleted);
    }

    [Fact]
    public void ResendNow_CancelsTheEndedWindowsTimer_AndKeepsOneWaitPerEvent()
    {
        var context = HappyVonage();
        context.Run(Input(FiveMinuteWindows));
        context.UntilWaitingForOtp();

        context.Raise(OnboardingEvents.Resend, new ResendRequested("operator"));

        // The ended window's timer is cancelled: only the new window's timer is pending.
        Assert.Equal(context.Now + FiveMinuteWindows.OtpWindow, context.PendingTimer.FireAt);
        Assert.Equal(1, context.PendingWaits(OnboardingEvents.Resend));
        Assert.Equal(1, context.PendingWaits(OnboardingEvents.Otp));
        Assert.Equal(1, context.PendingWaits(OnboardingEvents.Cancel));
    }

    [Fact]
    public async Task ResendNow_WithNoResendsLeft_IsRecordedAsRefused_AndTheCodeStillVerifies()
    {
        var context = HappyVonage();
        var run = context.Run(Input(FiveMinuteWindows));
        context.UntilWaitingForOtp();
        context.Raise(OnboardingEvents.Resend, new ResendRequested("operator"));

        context.Raise(OnboardingEvents.Resend, new ResendRequested("operator"));

        Assert.Single(context.CallsTo(nameof(ResendOtpActivity)));
        var refused = context.Status.Timeline!.Entries.Where(e => e.Kind == TimelineKind.ResendRequested).Last();
        Assert.Equal("Refused", refused.Outcome);
        Assert.Equal(OnboardingStage.WaitingForOtp, context.Status.Stage);

        context.Raise(OnboardingEvents.Otp, Code("123456"));
        context.FireTimersUntil(() => run.IsCompleted);
        Assert.Equal(OnboardingStage.Completed, (await run).Stage);
    }

    [Fact]
    public void ResendNow_ThenTheNewWindowEnds_FailsAsAnyWindowDoesWithNoResendsLeft()
    {
        var context = HappyVonage();
        var run = context.Run(Input(FiveMinuteWindows));
        context.UntilWaitingForOtp();
        context.Raise(OnboardingEvents.Resend, new ResendRequested("operator"));

        context.FireTimer();

        Assert.True(run.IsFaulted);
        Assert.IsType<OnboardingFailedException>(run.Exception!.InnerException);
        Assert.Single(context.CallsTo(nameof(ResendOtpActivity)));
    }
}
