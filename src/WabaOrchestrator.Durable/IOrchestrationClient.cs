namespace WabaOrchestrator.Durable;

/// <summary>
/// Starts and manages orchestration instances; shaped like <c>Microsoft.DurableTask.Client.DurableTaskClient</c>.
/// Instance ids are chosen by the caller.
/// </summary>
public interface IOrchestrationClient
{
    /// <summary>
    /// Starts <paramref name="orchestratorName"/> as <paramref name="instanceId"/>. Throws
    /// <see cref="OrchestrationAlreadyExistsException"/> when that id is Pending or Running (a finished id is started
    /// afresh), <see cref="UnknownTaskException"/> for an unregistered name, <see cref="ArgumentException"/> when the
    /// input cannot be serialised. Nothing is persisted when it throws.
    /// </summary>
    Task<string> ScheduleNewOrchestrationInstanceAsync(string orchestratorName, string instanceId, object? input = null, CancellationToken cancellationToken = default);

    /// <summary>The instance, or null when it does not exist.</summary>
    Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellationToken = default);

    /// <summary>One page of instances matching <paramref name="query"/>, newest first.</summary>
    Task<OrchestrationQueryResult> QueryInstancesAsync(OrchestrationQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Delivers an event. Throws <see cref="OrchestrationNotFoundException"/> for an unknown id and
    /// <see cref="OrchestrationNotRunningException"/> when the instance has finished.
    /// </summary>
    Task RaiseEventAsync(string instanceId, string eventName, object? eventData = null, CancellationToken cancellationToken = default);

    /// <summary>Ends a Pending or Running instance as Terminated; finished instances are left as they are.</summary>
    Task TerminateInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a finished instance and its history. Returns false when there was nothing to purge.</summary>
    Task<bool> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>Completes when the instance reaches a terminal status.</summary>
    Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellationToken = default);
}
