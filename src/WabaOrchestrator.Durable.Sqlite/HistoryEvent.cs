namespace WabaOrchestrator.Durable.Sqlite;

/// <summary>Kinds of history events; stored as integers, so values never change.</summary>
internal enum HistoryEventKind
{
    ExecutionStarted = 0,
    ActivityScheduled = 1,
    ActivityCompleted = 2,
    ActivityFailed = 3,
    TimerCreated = 4,
    TimerFired = 5,
    EventRaised = 6,
    CustomStatus = 7,
    ExecutionCompleted = 8,
    ExecutionFailed = 9,
    ExecutionTerminated = 10,
}

/// <summary>
/// One entry of an instance's append-only history. <see cref="TaskId"/> is the orchestrator's action sequence number
/// (scheduled activities and timers); <see cref="Name"/> is the activity or event name; <see cref="Data"/> is JSON
/// (input, result, event payload, <see cref="FailureDetails"/>, custom status) or, for timers, the due time.
/// </summary>
internal sealed record HistoryEvent(HistoryEventKind Kind, DateTime Timestamp, int TaskId = -1, string? Name = null, string? Data = null)
{
    /// <summary>Events that drive the orchestrator forward; the others are its recorded decisions.</summary>
    public bool IsInput => Kind is HistoryEventKind.ExecutionStarted or HistoryEventKind.ActivityCompleted
        or HistoryEventKind.ActivityFailed or HistoryEventKind.TimerFired or HistoryEventKind.EventRaised;

    /// <summary>Decisions matched against the code on replay, by <see cref="TaskId"/>, kind and name.</summary>
    public bool IsScheduling => Kind is HistoryEventKind.ActivityScheduled or HistoryEventKind.TimerCreated;
}
