namespace WabaOrchestrator.Durable.Sqlite;

/// <summary>An activity execution to run (at least once) and report back.</summary>
/// <remarks><paramref name="TraceParent"/>: the span of the episode that scheduled it (W3C), the activity span's parent.</remarks>
internal sealed record ActivityWorkItem(string InstanceId, string ExecutionId, int TaskId, string Name, string? Input, string? TraceParent = null);

/// <summary>A persisted durable timer.</summary>
internal sealed record DurableTimer(string InstanceId, string ExecutionId, int TaskId, DateTime DueAt);
