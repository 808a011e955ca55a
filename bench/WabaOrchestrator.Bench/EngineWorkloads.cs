using System.Collections.Concurrent;
using System.Diagnostics;
using WabaOrchestrator.Durable;
using ActivityContext = WabaOrchestrator.Durable.ActivityContext;

namespace WabaOrchestrator.Bench;

/// <summary>Does nothing: the cost measured is the engine's, not the activity's.</summary>
internal sealed class EngineNoOpActivity : Activity<long, long>
{
    public override Task<long> RunAsync(ActivityContext context, long input) => Task.FromResult(input + 1);
}

/// <summary>The throughput workload: ten no-op activities in a chain.</summary>
internal sealed class EngineChainOrchestrator : Orchestrator<int, long>
{
    public const int Steps = 10;

    public override async Task<long> RunAsync(IOrchestrationContext context, int input)
    {
        long value = input;
        for (var i = 0; i < Steps; i++)
        {
            value = await context.CallActivityAsync<long>(nameof(EngineNoOpActivity), value);
        }

        return value;
    }
}

/// <summary>Notes when each step of an instance ran, so the cost of the last steps of a long history can be read.</summary>
internal sealed class EngineTimedActivity : Activity<int, int>
{
    public static ConcurrentDictionary<(string InstanceId, int Step), long> Timestamps { get; } = new();

    public override Task<int> RunAsync(ActivityContext context, int input)
    {
        Timestamps[(context.InstanceId, input)] = Stopwatch.GetTimestamp();
        return Task.FromResult(input);
    }
}

/// <summary><c>input</c> activity steps one after another, so the history grows to about twice that many events.</summary>
internal sealed class EngineLoopOrchestrator : Orchestrator<int, int>
{
    public override async Task<int> RunAsync(IOrchestrationContext context, int input)
    {
        for (var i = 0; i < input; i++)
        {
            await context.CallActivityAsync<int>(nameof(EngineTimedActivity), i);
        }

        return input;
    }
}

/// <summary>Parks on an event, the state of an onboarding waiting for its OTP.</summary>
internal sealed class EngineWaitingOrchestrator : Orchestrator<int, int>
{
    public const string Waiting = "waiting";

    public override async Task<int> RunAsync(IOrchestrationContext context, int input)
    {
        context.SetCustomStatus(Waiting);
        return await context.WaitForExternalEvent<int>("Go");
    }
}
