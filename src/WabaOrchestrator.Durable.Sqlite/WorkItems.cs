namespace WabaOrchestrator.Durable.Sqlite;

/// <summary>An activity execution to run (at least once) and report back.</summary>
internal sealed record ActivityWorkItem(string InstanceId, string ExecutionId, int TaskId, string Name, string? Input);

/// <summary>A persisted durable timer.</summary>
internal sealed record DurableTimer(string InstanceId, string ExecutionId, int TaskId, DateTime DueAt);
