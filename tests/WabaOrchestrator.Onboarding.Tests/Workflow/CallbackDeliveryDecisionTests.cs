using WabaOrchestrator.Durable;
using WabaOrchestrator.Onboarding.Activities;
using WabaOrchestrator.Onboarding.Callbacks;
using static WabaOrchestrator.Onboarding.Tests.Workflow.WorkflowScenario;

namespace WabaOrchestrator.Onboarding.Tests.Workflow;

/// <summary>
/// Status callbacks go out beside the steps: in stage order, one at a time, never awaited by a step; the instance
/// completes once they are done, or once <see cref="WorkflowSettings.FinalCallbackWait"/> after its final stage.
/// </summary>
public sealed class CallbackDeliveryDecisionTests
{
    private const string Url = "https://caller.example/hooks";

    private static readonly OnboardingStage[] HappyStages =
        [OnboardingStage.Provisioning, OnboardingStage.WaitingForCluster, OnboardingStage.WaitingForOtp, OnboardingStage.Verifying, OnboardingStage.Finalizing, OnboardingStage.Completed];

    [Fact]
    public async Task Callbacks_WhileTheEndpointHangs_TheStepsGoOnAndTheInstanceCompletesWhenTheyAreDelivered()
    {
        var (context, outstanding) = HangingEndpoint();
        var run = context.Run(Input(callbackUrl: Url));

        context.UntilWaitingForOtp();
        context.Raise(OnboardingEvents.Otp, Code("123456"));
        context.FireTimersUntil(() => context.Status.Stage == OnboardingStage.Completed);

        // Every step is done while the first callback still hangs, and the next one waits for it.
        Assert.Single(context.CallsTo(nameof(NotifyCallbackActivity)));
        Assert.False(run.IsCompleted);
        var finalWait = context.PendingTimer;
        Assert.Equal(context.Now + new WorkflowSettings().FinalCallbackWait, finalWait.FireAt);

        for (var delivered = 0; delivered < HappyStages.Length; delivered++)
        {
            Assert.Equal(delivered + 1, context.CallsTo(nameof(NotifyCallbackActivity)).Count());
            ScriptedContext.Complete(outstanding[delivered], true);
        }

        Assert.Equal(OnboardingStage.Completed, (await run).Stage);
        Assert.Equal(HappyStages, Stages(context));
        Assert.All(context.CallsTo(nameof(NotifyCallbackActivity)), c => Assert.Equal(4, c.Retry!.MaxNumberOfAttempts));
        Assert.True(finalWait.Promise.Task.IsCanceled);
    }

    [Fact]
    public async Task Callbacks_ToADeadEndpoint_HoldTheEndedInstanceOnlyForTheFinalWait()
    {
        var (context, _) = HangingEndpoint();
        var settings = new WorkflowSettings { CallbacksBesideSteps = true, FinalCallbackWait = TimeSpan.FromSeconds(45) };
        var run = context.Run(Input(settings, callbackUrl: Url));
        context.UntilWaitingForOtp();
        context.Raise(OnboardingEvents.Otp, Code("123456"));
        context.FireTimersUntil(() => context.Status.Stage == OnboardingStage.Completed);
        var ended = context.Now;

        context.FireTimer();

        var output = await run;
        Assert.Equal(OnboardingStage.Completed, output.Stage);
        Assert.Equal(ended + TimeSpan.FromSeconds(45), context.Now);
        // The onboarding ended when its last step did, not when the wait for the callbacks ran out.
        Assert.Equal(ended, output.Timestamps.Completed);
        var givenUp = Assert.Single(output.Timeline.Entries, e => e.Kind == TimelineKind.CallbackFailed);
        Assert.Equal(OnboardingStage.Completed, givenUp.Stage);
        Assert.Equal(OnboardingStage.Completed, context.Status.Stage);
    }

    [Fact]
    public async Task Callbacks_GivenUpAfterTheirRetries_AreRecordedAndTheNextOneGoesOut()
    {
        var context = HappyVonage().On(nameof(NotifyCallbackActivity), _ => throw Failure(nameof(NotifyCallbackActivity), "The status callback to caller.example answered 502."));
        var run = context.Run(Input(callbackUrl: Url));
        context.UntilWaitingForOtp();
        context.Raise(OnboardingEvents.Otp, Code("123456"));
        context.FireTimersUntil(() => run.IsCompleted);

        var output = await run;
        Assert.Equal(OnboardingStage.Completed, output.Stage);
        var failed = output.Timeline.Entries.Where(e => e.Kind == TimelineKind.CallbackFailed).ToList();
        Assert.Equal(HappyStages, failed.Select(e => e.Stage!.Value));
        Assert.All(failed, e => Assert.Contains("answered 502", e.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancel_WhileACallbackHangs_WinsAtOnceAndTheCancelledCallbackStillGoesOutLast()
    {
        var (context, outstanding) = HangingEndpoint();
        var run = context.Run(Input(callbackUrl: Url));
        context.UntilWaitingForOtp();

        context.Raise(OnboardingEvents.Cancel, new CancelRequested("operator gave up"));

        Assert.Single(context.CallsTo(nameof(DeleteDeploymentActivity)));
        Assert.Equal(OnboardingStage.Cancelled, context.Status.Stage);
        Assert.False(run.IsCompleted);
        for (var i = 0; i < outstanding.Count; i++)
        {
            ScriptedContext.Complete(outstanding[i], true);
        }

        Assert.Equal(OnboardingStage.Cancelled, (await run).Stage);
        Assert.Equal([OnboardingStage.Provisioning, OnboardingStage.WaitingForCluster, OnboardingStage.WaitingForOtp, OnboardingStage.Cancelled], Stages(context));
    }

    [Fact]
    public async Task Callbacks_OfAFailedOnboarding_EndWithTheFailedStageBeforeTheInstanceFails()
    {
        var (context, outstanding) = HangingEndpoint();
        var run = context.Run(Input(new WorkflowSettings { CallbacksBesideSteps = true, MaxAttempts = 1 }, callbackUrl: Url));
        context.UntilWaitingForOtp();

        context.Raise(OnboardingEvents.Otp, Code("000000"));

        Assert.Equal(OnboardingStage.Failed, context.Status.Stage);
        Assert.False(run.IsCompleted);
        for (var i = 0; i < outstanding.Count; i++)
        {
            ScriptedContext.Complete(outstanding[i], true);
        }

        await Assert.ThrowsAsync<OnboardingFailedException>(() => run);
        Assert.Equal(OnboardingStage.Failed, Stages(context)[^1]);
        Assert.Equal(5, Stages(context).Count);
    }

    [Fact]
    public async Task Callbacks_OfAnOnboardingStartedBeforeTheyLeftTheCriticalPath_AreStillAwaitedSoItsHistoryReplays()
    {
        var (context, outstanding) = HangingEndpoint();
        // An input persisted by the older version has no callbacks_beside_steps: each callback came before the next step.
        var input = Input(callbackUrl: Url) with { Settings = System.Text.Json.JsonSerializer.Deserialize<WorkflowSettings>("{}")! };
        var run = context.Run(input);

        Assert.Single(context.ActivityCalls);
        Assert.Empty(context.CallsTo(nameof(ProvisionDeploymentActivity)));

        ScriptedContext.Complete(outstanding[0], true);
        Assert.Single(context.CallsTo(nameof(ProvisionDeploymentActivity)));
        Assert.Equal(2, context.CallsTo(nameof(NotifyCallbackActivity)).Count());
        Assert.Empty(context.Timers);
        Assert.False(run.IsCompleted);
    }

    [Fact]
    public async Task Callbacks_RefusedForWhereTheyPoint_AreNotRetried_WhileFailedDeliveriesAre()
    {
        var context = HappyVonage().On(nameof(NotifyCallbackActivity), _ => true);
        var run = context.Run(Input(callbackUrl: Url));
        context.UntilWaitingForOtp();
        context.Raise(OnboardingEvents.Otp, Code("123456"));
        context.FireTimersUntil(() => run.IsCompleted);
        await run;

        var retry = context.CallsTo(nameof(NotifyCallbackActivity)).First().Retry!;
        var refused = FailureDetails.FromException(new CallbackRefusedException("The status callback to caller.example was refused: 127.0.0.1 (loopback)."));
        var failed = FailureDetails.FromException(new HttpRequestException("The status callback to caller.example answered 502."));
        Assert.Null(retry.NextDelay(1, TimeSpan.Zero, refused));
        Assert.NotNull(retry.NextDelay(1, TimeSpan.Zero, failed));
    }

    [Fact]
    public void Resolve_ForANewOnboarding_SendsCallbacksBesideTheSteps() =>
        Assert.True(new OnboardingOptions().Resolve(null).CallbacksBesideSteps);

    /// <summary>A callback endpoint that never answers until the test completes each call.</summary>
    private static (ScriptedContext Context, List<TaskCompletionSource<object?>> Outstanding) HangingEndpoint()
    {
        var outstanding = new List<TaskCompletionSource<object?>>();
        var context = HappyVonage().On(nameof(NotifyCallbackActivity), _ =>
        {
            var call = new TaskCompletionSource<object?>();
            outstanding.Add(call);
            return call.Task;
        });
        return (context, outstanding);
    }

    private static List<OnboardingStage> Stages(ScriptedContext context) =>
        [.. context.CallsTo(nameof(NotifyCallbackActivity)).Select(c => ((NotifyCallbackInput)c.Input!).Payload.Stage)];
}
