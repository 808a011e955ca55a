namespace WabaOrchestrator.Durable;

/// <summary>Untyped view of an orchestrator, used by the engines. Derive from <see cref="Orchestrator{TInput,TOutput}"/>.</summary>
public interface IOrchestrator
{
    Type InputType { get; }

    Task<object?> RunAsync(IOrchestrationContext context, object? input);
}

/// <summary>
/// An orchestrator, as <c>Microsoft.DurableTask.TaskOrchestrator&lt;TInput,TOutput&gt;</c>. Registered and called by its
/// class name (use <c>nameof</c>). A new instance is created for every episode; keep no state in fields.
/// </summary>
public abstract class Orchestrator<TInput, TOutput> : IOrchestrator
{
    Type IOrchestrator.InputType => typeof(TInput);

    public abstract Task<TOutput> RunAsync(IOrchestrationContext context, TInput input);

    async Task<object?> IOrchestrator.RunAsync(IOrchestrationContext context, object? input) => await RunAsync(context, (TInput)input!);
}

/// <summary>Untyped view of an activity, used by the engines. Derive from <see cref="Activity{TInput,TOutput}"/>.</summary>
public interface IActivity
{
    Type InputType { get; }

    Task<object?> RunAsync(ActivityContext context, object? input);
}

/// <summary>
/// An activity, as <c>Microsoft.DurableTask.TaskActivity&lt;TInput,TOutput&gt;</c>: where all I/O happens. Runs at least
/// once per scheduling, so it must be idempotent. Resolved from DI per execution.
/// </summary>
public abstract class Activity<TInput, TOutput> : IActivity
{
    Type IActivity.InputType => typeof(TInput);

    public abstract Task<TOutput> RunAsync(ActivityContext context, TInput input);

    async Task<object?> IActivity.RunAsync(ActivityContext context, object? input) => await RunAsync(context, (TInput)input!);
}

/// <summary>What an activity knows of its invocation.</summary>
public sealed record ActivityContext(string Name, string InstanceId, CancellationToken CancellationToken);
