using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Onboarding;
using WabaOrchestrator.Testing;

namespace WabaOrchestrator.Scenarios.Tests.Onboarding;

/// <summary>
/// Status callbacks off the onboarding's critical path, on each engine (the sealed subclasses): a slow caller delays
/// only its own callbacks, which still arrive in stage order, each once, before the instance completes.
/// </summary>
public abstract class CallbackScenarios
{
    private static readonly TimeSpan EndpointDelay = TimeSpan.FromSeconds(10);

    protected abstract OnboardingEngineFactory Engine { get; }

    [Fact]
    public async Task Callbacks_ToAnEndpointTakingTenSeconds_LeaveStageLatencyUnchangedAndArriveInOrderOnce()
    {
        var received = new ConcurrentQueue<(string InstanceId, string Stage)>();
        await using var slowCaller = await LoopbackReceiver.StartAsync(async http =>
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            received.Enqueue((body.RootElement.GetProperty("instance_id").GetString()!, body.RootElement.GetProperty("stage").GetString()!));
            // The fault under test: a caller that takes 10 s to answer each callback.
            await Task.Delay(EndpointDelay, http.RequestAborted);
            http.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        await using var stack = await OnboardingStack.StartAsync(Engine, new StackSetup
        {
            Settings = new()
            {
                // Long enough for a 10 s answer, so every callback is delivered at its first try.
                ["Onboarding:Callbacks:Timeout"] = "00:00:30",
                ["Onboarding:Callbacks:FinalWait"] = "00:03:00",
                ["Onboarding:Callbacks:AllowHttp"] = "true",
                ["Onboarding:Callbacks:AllowPrivateAddresses"] = "true",
            },
        });

        // A first onboarding warms the stack up (JIT, connections), so neither measurement pays for that.
        await MeasureAsync(stack, callbackUrl: null);
        var withoutCallbacks = await MeasureAsync(stack, callbackUrl: null);
        var withSlowCallbacks = await MeasureAsync(stack, new Uri(slowCaller.BaseAddress, "hooks/onboarding").AbsoluteUri);

        // A callback on the critical path adds its endpoint's 10 s to every stage it is sent for (two stages or more
        // in each measured stretch), so half of that is the line between "in the way" and the noise of a shared machine
        // (the Durable Task sidecar alone has varied by over a second between two runs of the same onboarding).
        var noise = TimeSpan.FromSeconds(5);

        Assert.True(
            withSlowCallbacks.ToWaitingForOtp <= (withoutCallbacks.ToWaitingForOtp * 2) + noise,
            $"Start to WaitingForOtp took {withSlowCallbacks.ToWaitingForOtp} with a slow callback endpoint, {withoutCallbacks.ToWaitingForOtp} without callbacks.");
        Assert.True(
            withSlowCallbacks.ToCompleted <= (withoutCallbacks.ToCompleted * 2) + noise,
            $"Code to Completed took {withSlowCallbacks.ToCompleted} with a slow callback endpoint, {withoutCallbacks.ToCompleted} without callbacks.");

        // The instance itself completes once its callbacks are delivered (six of 10 s each, one after another).
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var done = await stack.Client.WaitForInstanceCompletionAsync(withSlowCallbacks.InstanceId, getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(
            ["Provisioning", "WaitingForCluster", "WaitingForOtp", "Verifying", "Finalizing", "Completed"],
            received.Where(r => r.InstanceId == withSlowCallbacks.InstanceId).Select(r => r.Stage));
        Assert.DoesNotContain(done.ReadOutputAs<OnboardingOutput>()!.Timeline.Entries, e => e.Kind == TimelineKind.CallbackFailed);
        Assert.DoesNotContain(received, r => r.InstanceId == withoutCallbacks.InstanceId);
        await stack.AssertNoPlaintextSecretsAsync(withSlowCallbacks.InstanceId);
    }

    /// <summary>One onboarding: from the start to WaitingForOtp, and from the code to the Completed stage in its status.</summary>
    private static async Task<(TimeSpan ToWaitingForOtp, TimeSpan ToCompleted, string InstanceId)> MeasureAsync(OnboardingStack stack, string? callbackUrl)
    {
        var clock = Stopwatch.StartNew();
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber(), callbackUrl: callbackUrl);
        var waiting = await stack.WaitForOtpAsync(id);
        var toWaitingForOtp = clock.Elapsed;

        var (code, _) = await stack.SandboxOtpAsync(waiting.DeploymentId!);
        clock.Restart();
        await stack.RaiseOtpAsync(id, code);
        await stack.WaitForStatusAsync(id, s => s.Stage == OnboardingStage.Completed, "the Completed stage");
        return (toWaitingForOtp, clock.Elapsed, id);
    }
}

/// <summary>The callback scenarios on the local host's embedded SQLite engine.</summary>
public sealed class CallbackScenariosOnSqlite : CallbackScenarios
{
    protected override OnboardingEngineFactory Engine => SqliteOnboardingEngine.Factory;
}

/// <summary>The callback scenarios on the real Durable Task worker through the Functions host's adapters.</summary>
public sealed class CallbackScenariosOnDurableTask : CallbackScenarios
{
    protected override OnboardingEngineFactory Engine => Engines.DurableTaskEngine.Factory;
}
