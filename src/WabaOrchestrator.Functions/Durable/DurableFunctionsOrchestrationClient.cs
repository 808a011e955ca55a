using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using WabaOrchestrator.Durable;
using OrchestrationMetadata = WabaOrchestrator.Durable.OrchestrationMetadata;
using OrchestrationQuery = WabaOrchestrator.Durable.OrchestrationQuery;
using OrchestrationRuntimeStatus = WabaOrchestrator.Durable.OrchestrationRuntimeStatus;

namespace WabaOrchestrator.Functions.Durable;

/// <summary>
/// Our <see cref="IOrchestrationClient"/> over Durable Functions' <see cref="DurableTaskClient"/> (one per invocation,
/// from the <c>[DurableClient]</c> binding). Where the SDK is silent our contract is explicit, so this checks first:
/// a start of a Pending/Running id is refused (Durable Functions' singleton pattern), and an event for an unknown or
/// finished instance is an error instead of being dropped.
/// </summary>
/// <param name="inner">The invocation's SDK client.</param>
/// <param name="orchestrators">
/// The orchestrators this app registers (by case-insensitive name). The task hub accepts a start of any name and the
/// instance then sits Pending for ever; our contract refuses an unknown name at once, as the embedded engine does.
/// </param>
public sealed class DurableFunctionsOrchestrationClient(DurableTaskClient inner, IReadOnlyDictionary<string, TaskRegistration> orchestrators) : IOrchestrationClient
{
    public async Task<string> ScheduleNewOrchestrationInstanceAsync(string orchestratorName, string instanceId, object? input = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orchestratorName);
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        if (!orchestrators.TryGetValue(orchestratorName, out var orchestrator))
        {
            throw new UnknownTaskException("orchestrator", orchestratorName);
        }

        if (await inner.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is { } existing
            && DurableMapping.ToStatus(existing.RuntimeStatus) is OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running)
        {
            throw new OrchestrationAlreadyExistsException(instanceId);
        }

        return await inner.ScheduleNewOrchestrationInstanceAsync(orchestrator.Name, input, new StartOrchestrationOptions(instanceId), cancellationToken);
    }

    /// <remarks>
    /// The gRPC backends (the Functions host's listener, the test host's sidecar) send custom status and failure details
    /// only with inputs and outputs, while our contract always returns them: so this always asks for everything and
    /// drops inputs and outputs the caller did not want. The SDK has no cheaper request for the two.
    /// </remarks>
    public async Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellationToken = default) =>
        await inner.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken) is { } metadata
            ? DurableMapping.ToMetadata(metadata, getInputsAndOutputs)
            : null;

    public async Task<OrchestrationQueryResult> QueryInstancesAsync(OrchestrationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1, nameof(query.PageSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.PageSize, 1000, nameof(query.PageSize));
        var filter = new Microsoft.DurableTask.Client.OrchestrationQuery(
            CreatedFrom: query.CreatedFrom,
            CreatedTo: query.CreatedTo,
            Statuses: query.Statuses?.SelectMany(DurableMapping.ToSdkStatuses).Distinct().ToList(),
            InstanceIdPrefix: query.InstanceIdPrefix,
            PageSize: query.PageSize,
            FetchInputsAndOutputs: true,
            ContinuationToken: query.ContinuationToken);

        await foreach (var page in inner.GetAllInstancesAsync(filter).AsPages(query.ContinuationToken, query.PageSize).WithCancellation(cancellationToken))
        {
            // The task hub has no name index and no order: the name is filtered and the page sorted here, so a page
            // can be shorter than asked while its token still leads on (the Api documents this).
            var instances = new List<OrchestrationMetadata>();
            foreach (var metadata in page.Values
                .Where(m => query.Name is null || string.Equals(m.Name, query.Name, StringComparison.OrdinalIgnoreCase))
                .OrderByDescending(m => m.CreatedAt))
            {
                instances.Add(DurableMapping.ToMetadata(await WithFailureDetailsAsync(metadata, cancellationToken), query.FetchInputsAndOutputs));
            }

            return new OrchestrationQueryResult(instances, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
        }

        return new OrchestrationQueryResult([], null);
    }

    public async Task RaiseEventAsync(string instanceId, string eventName, object? eventData = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        var instance = await inner.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken)
            ?? throw new OrchestrationNotFoundException(instanceId);
        var status = DurableMapping.ToStatus(instance.RuntimeStatus);
        if (status is not (OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running))
        {
            throw new OrchestrationNotRunningException(instanceId, status);
        }

        await inner.RaiseEventAsync(instanceId, eventName, eventData, cancellationToken);
    }

    /// <summary>
    /// The reason becomes the instance's output, as Durable Functions records it. The SDK accepts a terminate for an
    /// unknown or finished id without a word; our contract says NotFound for the first and leaves the second as it is,
    /// so the request is only sent to an instance that is still running.
    /// </summary>
    public async Task TerminateInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default)
    {
        var instance = await inner.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken)
            ?? throw new OrchestrationNotFoundException(instanceId);
        if (DurableMapping.ToStatus(instance.RuntimeStatus) is OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running)
        {
            await inner.TerminateInstanceAsync(instanceId, reason, cancellationToken);
        }
    }

    /// <summary>Only a finished instance is purged; a running one is kept (false), as on the embedded engine.</summary>
    public async Task<bool> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        if (await inner.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is not { } instance
            || DurableMapping.ToStatus(instance.RuntimeStatus) is OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running)
        {
            return false;
        }

        return (await inner.PurgeInstanceAsync(instanceId, cancellationToken)).PurgedInstanceCount > 0;
    }

    /// <remarks>
    /// Always fetches everything, as <see cref="GetInstanceAsync"/> does, for the custom status and failure details. The
    /// SDK waits on an unknown id until cancelled; our contract says NotFound at once, so the id is checked first.
    /// </remarks>
    public async Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellationToken = default)
    {
        _ = await inner.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken)
            ?? throw new OrchestrationNotFoundException(instanceId);
        return DurableMapping.ToMetadata(await inner.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cancellationToken), getInputsAndOutputs);
    }

    /// <summary>
    /// A query page may carry a Failed instance without its failure details (the test host's sidecar never sends them
    /// in queries); those few are read one by one, so every call returns the same fields.
    /// </summary>
    private async Task<Microsoft.DurableTask.Client.OrchestrationMetadata> WithFailureDetailsAsync(Microsoft.DurableTask.Client.OrchestrationMetadata metadata, CancellationToken cancellationToken) =>
        metadata is { RuntimeStatus: Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Failed, FailureDetails: null }
            ? await inner.GetInstanceAsync(metadata.InstanceId, getInputsAndOutputs: true, cancellationToken) ?? metadata
            : metadata;
}
