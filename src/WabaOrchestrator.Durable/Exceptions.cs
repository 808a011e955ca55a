namespace WabaOrchestrator.Durable;

/// <summary>
/// An activity failed (after its retries). The one failure type orchestrators catch, on both engines
/// (Durable Functions' <c>TaskFailedException</c> maps to it).
/// </summary>
public sealed class ActivityFailedException(string activityName, FailureDetails failure, Exception? innerException = null)
    : Exception($"Activity '{activityName}' failed: {failure.ErrorType}: {failure.ErrorMessage}", innerException)
{
    public string ActivityName { get; } = activityName;

    public FailureDetails Failure { get; } = failure;
}

/// <summary>An instance with this id is Pending or Running; a finished id may be started again.</summary>
public sealed class OrchestrationAlreadyExistsException(string instanceId)
    : InvalidOperationException($"An orchestration with instance id '{instanceId}' is already pending or running.")
{
    public string InstanceId { get; } = instanceId;
}

/// <summary>No instance with this id exists.</summary>
public sealed class OrchestrationNotFoundException(string instanceId)
    : InvalidOperationException($"No orchestration instance with id '{instanceId}' was found.")
{
    public string InstanceId { get; } = instanceId;
}

/// <summary>The instance has finished (completed, failed or terminated) and takes no more events.</summary>
public sealed class OrchestrationNotRunningException(string instanceId, OrchestrationRuntimeStatus status)
    : InvalidOperationException($"Orchestration '{instanceId}' is {status} and cannot accept the operation.")
{
    public string InstanceId { get; } = instanceId;

    public OrchestrationRuntimeStatus Status { get; } = status;
}

/// <summary>No orchestrator or activity is registered under this name.</summary>
public sealed class UnknownTaskException(string kind, string name)
    : ArgumentException($"No {kind} named '{name}' is registered.", nameof(name))
{
    public string TaskName { get; } = name;
}

/// <summary>Replayed code took a different path than its history: orchestrator code is not deterministic.</summary>
public sealed class NonDeterministicOrchestrationException(string message) : InvalidOperationException(message);

/// <summary>Why the durable store cannot take or answer a request right now.</summary>
public enum DurableStoreFailure
{
    /// <summary>Any other storage error (I/O, cannot open).</summary>
    Unavailable,

    /// <summary>The disk (or the database's size limit) is full.</summary>
    Full,

    /// <summary>The store is locked by someone else beyond the wait time.</summary>
    Busy,

    /// <summary>The database file is damaged; an operator has to recover it.</summary>
    Corrupt,

    /// <summary>The engine is starting, stopping or its commit loop has ended.</summary>
    Stopped,
}

/// <summary>
/// The durable store cannot serve the request for now (disk full, locked, corrupt, engine stopping). Engines translate
/// their storage errors into this, so callers (the API's 503 with Retry-After) never depend on a storage library.
/// </summary>
public sealed class DurableStoreUnavailableException(DurableStoreFailure reason, string message, TimeSpan retryAfter, Exception? innerException = null)
    : Exception(message, innerException)
{
    public DurableStoreFailure Reason { get; } = reason;

    /// <summary>When trying again makes sense (the engine's current commit back-off, at least a second).</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;
}
