namespace WabaOrchestrator.Durable.Sqlite;

/// <summary>What the dispatcher applies, in arrival order, batch by batch.</summary>
internal abstract record EngineMessage(string InstanceId);

/// <summary>A client call; completed once the batch it was applied in has committed.</summary>
internal abstract record CommandMessage(string InstanceId) : EngineMessage(InstanceId)
{
    public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <remarks><paramref name="TraceParent"/>: the caller's span (W3C traceparent) the instance's spans continue.</remarks>
internal sealed record StartCommand(string InstanceId, string Name, string? Input, string? TraceParent = null) : CommandMessage(InstanceId);

/// <remarks><paramref name="TraceParent"/>: the raising call's span, linked from the episode it causes.</remarks>
internal sealed record RaiseEventCommand(string InstanceId, string EventName, string? Data, string? TraceParent = null) : CommandMessage(InstanceId);

internal sealed record TerminateCommand(string InstanceId, string? Reason) : CommandMessage(InstanceId);

internal sealed record PurgeCommand(string InstanceId) : CommandMessage(InstanceId);

internal sealed record ActivityResult(string InstanceId, string ExecutionId, int TaskId, string? Output, FailureDetails? Failure) : EngineMessage(InstanceId);

internal sealed record TimerFired(string InstanceId, string ExecutionId, int TaskId) : EngineMessage(InstanceId);

/// <summary>The health probe: a one-row write committed like any batch.</summary>
internal sealed record ProbeCommand() : CommandMessage("");

/// <summary>Runs on the dispatcher, between batches, with the store (tests: to put the store into a real fault state safely).</summary>
internal sealed record StoreCommand(Action<SqliteStore> Run) : CommandMessage("");
