using Microsoft.Extensions.Logging;

namespace WabaOrchestrator.Durable;

/// <summary>
/// What an orchestrator sees of its engine. Shaped like <c>Microsoft.DurableTask.TaskOrchestrationContext</c> so the
/// Durable Functions adapter is a 1:1 wrapper. Orchestrator code must be deterministic: take time from
/// <see cref="CurrentUtcDateTime"/>, do I/O only in activities, and never use Guid.NewGuid, random or the wall clock.
/// </summary>
public interface IOrchestrationContext
{
    /// <summary>The orchestrator's registered name.</summary>
    string Name { get; }

    string InstanceId { get; }

    /// <summary>Replay-safe clock: the time the current episode started, identical on every replay.</summary>
    DateTime CurrentUtcDateTime { get; }

    /// <summary>True while the orchestrator re-executes history it has already recorded.</summary>
    bool IsReplaying { get; }

    /// <summary>
    /// Schedules an activity and returns its result. A failure (after <paramref name="retry"/> is spent) surfaces as
    /// <see cref="ActivityFailedException"/>; expected business outcomes should be return values, not exceptions.
    /// </summary>
    Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, RetryPolicy? retry = null);

    Task CallActivityAsync(string name, object? input = null, RetryPolicy? retry = null);

    /// <summary>A durable timer. Cancelling it completes the task as cancelled; a cancelled timer never fires.</summary>
    Task CreateTimer(DateTime fireAtUtc, CancellationToken cancellationToken);

    /// <summary>
    /// Waits for an event raised with <see cref="IOrchestrationClient.RaiseEventAsync"/>. Names are case-insensitive;
    /// events raised before the wait are buffered and delivered in the order raised. A cancelled wait completes as
    /// cancelled (<see cref="TaskCanceledException"/>).
    /// </summary>
    Task<T> WaitForExternalEvent<T>(string name, CancellationToken cancellationToken = default);

    /// <summary>Sets the instance's custom status; serialised as JSON, at most <see cref="DurableLimits.MaxCustomStatusBytes"/>.</summary>
    void SetCustomStatus(object? status);

    /// <summary>A logger that writes nothing while the orchestrator is replaying.</summary>
    ILogger CreateReplaySafeLogger(string categoryName);
}

public static class OrchestrationContextExtensions
{
    /// <summary>A timer that fires <paramref name="delay"/> after the replay-safe current time.</summary>
    public static Task CreateTimer(this IOrchestrationContext context, TimeSpan delay, CancellationToken cancellationToken) =>
        context.CreateTimer(context.CurrentUtcDateTime.Add(delay), cancellationToken);
}

public static class DurableLimits
{
    /// <summary>Durable Functions' limit on custom status, kept on both engines.</summary>
    public const int MaxCustomStatusBytes = 16 * 1024;
}
