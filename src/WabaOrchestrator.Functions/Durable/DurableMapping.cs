using Microsoft.DurableTask;
using WabaOrchestrator.Durable;
using Sdk = Microsoft.DurableTask.Client;

namespace WabaOrchestrator.Functions.Durable;

/// <summary>Translations between our durable API and the Durable Task SDK, shared by both adapters.</summary>
public static class DurableMapping
{
    public static FailureDetails ToFailure(TaskFailureDetails details) =>
        new(details.ErrorType, details.ErrorMessage, details.StackTrace);

    /// <summary>Our retry parameters as the SDK's <see cref="TaskOptions"/>; the SDK waits between attempts on durable timers too.</summary>
    public static TaskOptions? ToTaskOptions(WabaOrchestrator.Durable.RetryPolicy? retry)
    {
        if (retry is null)
        {
            return null;
        }

        // The SDK refuses a retry timeout shorter than the first interval; with ours no retry could start in time, so a
        // single attempt is the same schedule.
        var attempts = retry.RetryTimeout is { } timeout && timeout < retry.FirstRetryInterval ? 1 : retry.MaxNumberOfAttempts;
        var handle = retry.Handle;
        return TaskOptions.FromRetryPolicy(new Microsoft.DurableTask.RetryPolicy(
            attempts,
            retry.FirstRetryInterval,
            retry.BackoffCoefficient,
            retry.MaxRetryInterval,
            attempts == 1 ? null : retry.RetryTimeout)
        {
            HandleFailure = handle is null ? _ => true : details => handle(ToFailure(details)),
        });
    }

    /// <summary>
    /// Suspended (and the obsolete ContinuedAsNew) instances have not finished, so they count as Running: the API then
    /// refuses a second start of that id and keeps accepting events, as Durable Functions does.
    /// </summary>
    public static OrchestrationRuntimeStatus ToStatus(Sdk.OrchestrationRuntimeStatus status) => status switch
    {
        Sdk.OrchestrationRuntimeStatus.Pending => OrchestrationRuntimeStatus.Pending,
        Sdk.OrchestrationRuntimeStatus.Completed => OrchestrationRuntimeStatus.Completed,
        Sdk.OrchestrationRuntimeStatus.Failed => OrchestrationRuntimeStatus.Failed,
        Sdk.OrchestrationRuntimeStatus.Terminated => OrchestrationRuntimeStatus.Terminated,
        _ => OrchestrationRuntimeStatus.Running,
    };

    public static IEnumerable<Sdk.OrchestrationRuntimeStatus> ToSdkStatuses(OrchestrationRuntimeStatus status) => status switch
    {
        OrchestrationRuntimeStatus.Running => [Sdk.OrchestrationRuntimeStatus.Running, Sdk.OrchestrationRuntimeStatus.Suspended],
        OrchestrationRuntimeStatus.Pending => [Sdk.OrchestrationRuntimeStatus.Pending],
        OrchestrationRuntimeStatus.Completed => [Sdk.OrchestrationRuntimeStatus.Completed],
        OrchestrationRuntimeStatus.Failed => [Sdk.OrchestrationRuntimeStatus.Failed],
        OrchestrationRuntimeStatus.Terminated => [Sdk.OrchestrationRuntimeStatus.Terminated],
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a runtime status."),
    };

    /// <summary>
    /// Our metadata from the SDK's. A Failed instance has no output: Durable Task Core records the failure message there
    /// as plain text (not JSON), while the failure itself is in <see cref="OrchestrationMetadata.FailureDetails"/>.
    /// </summary>
    public static OrchestrationMetadata ToMetadata(Sdk.OrchestrationMetadata metadata, bool withInputsAndOutputs)
    {
        var status = ToStatus(metadata.RuntimeStatus);
        return new(metadata.Name, metadata.InstanceId)
        {
            RuntimeStatus = status,
            CreatedAt = metadata.CreatedAt,
            LastUpdatedAt = metadata.LastUpdatedAt,
            SerializedInput = withInputsAndOutputs ? metadata.SerializedInput : null,
            SerializedOutput = withInputsAndOutputs && status != OrchestrationRuntimeStatus.Failed ? metadata.SerializedOutput : null,
            SerializedCustomStatus = metadata.SerializedCustomStatus,
            FailureDetails = metadata.FailureDetails is { } failure ? ToFailure(failure) : null,
        };
    }
}
