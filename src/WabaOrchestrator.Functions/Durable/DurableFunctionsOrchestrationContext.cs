using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using WabaOrchestrator.Durable;

namespace WabaOrchestrator.Functions.Durable;

/// <summary>
/// Our <see cref="IOrchestrationContext"/> over Durable Functions' <see cref="TaskOrchestrationContext"/>: a 1:1
/// forward, except that the SDK's <see cref="TaskFailedException"/> becomes <see cref="ActivityFailedException"/> so the
/// workflow catches one failure type on both engines. Every call stays on the orchestrator thread (no ConfigureAwait),
/// as the SDK requires.
/// </summary>
public sealed class DurableFunctionsOrchestrationContext(TaskOrchestrationContext inner) : IOrchestrationContext
{
    public string Name => inner.Name.Name;

    public string InstanceId => inner.InstanceId;

    public DateTime CurrentUtcDateTime => inner.CurrentUtcDateTime;

    public bool IsReplaying => inner.IsReplaying;

    public async Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, WabaOrchestrator.Durable.RetryPolicy? retry = null)
    {
        try
        {
            return await inner.CallActivityAsync<TResult>(name, input, DurableMapping.ToTaskOptions(retry));
        }
        catch (TaskFailedException ex)
        {
            throw new ActivityFailedException(name, DurableMapping.ToFailure(ex.FailureDetails), ex);
        }
    }

    public async Task CallActivityAsync(string name, object? input = null, WabaOrchestrator.Durable.RetryPolicy? retry = null)
    {
        try
        {
            await inner.CallActivityAsync(name, input, DurableMapping.ToTaskOptions(retry));
        }
        catch (TaskFailedException ex)
        {
            throw new ActivityFailedException(name, DurableMapping.ToFailure(ex.FailureDetails), ex);
        }
    }

    public Task CreateTimer(DateTime fireAtUtc, CancellationToken cancellationToken) => inner.CreateTimer(fireAtUtc, cancellationToken);

    public async Task<T> WaitForExternalEvent<T>(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.WaitForExternalEvent<T>(name, cancellationToken);
        }
        catch (OperationCanceledException ex) when (ex is not TaskCanceledException)
        {
            // Our contract names the type: a cancelled wait is a TaskCanceledException on both engines.
            throw new TaskCanceledException(ex.Message, ex, ex.CancellationToken);
        }
    }

    public void SetCustomStatus(object? status) => inner.SetCustomStatus(status);

    public ILogger CreateReplaySafeLogger(string categoryName) => inner.CreateReplaySafeLogger(categoryName);
}
