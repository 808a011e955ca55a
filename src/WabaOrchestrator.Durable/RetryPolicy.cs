namespace WabaOrchestrator.Durable;

/// <summary>
/// How an activity call is retried; the same parameters as <c>Microsoft.DurableTask.RetryPolicy</c>. Retries are
/// durable: the engine waits on a durable timer between attempts, so a restart does not reset the schedule.
/// </summary>
public sealed class RetryPolicy
{
    public RetryPolicy(
        int maxNumberOfAttempts,
        TimeSpan firstRetryInterval,
        double backoffCoefficient = 1.0,
        TimeSpan? maxRetryInterval = null,
        TimeSpan? retryTimeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNumberOfAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(firstRetryInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(backoffCoefficient, 1.0);
        if (maxRetryInterval is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(max, firstRetryInterval, nameof(maxRetryInterval));
        }

        if (retryTimeout is { } timeout)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero, nameof(retryTimeout));
        }

        MaxNumberOfAttempts = maxNumberOfAttempts;
        FirstRetryInterval = firstRetryInterval;
        BackoffCoefficient = backoffCoefficient;
        MaxRetryInterval = maxRetryInterval ?? TimeSpan.FromHours(1);
        RetryTimeout = retryTimeout;
    }

    /// <summary>Total attempts including the first.</summary>
    public int MaxNumberOfAttempts { get; }

    public TimeSpan FirstRetryInterval { get; }

    public double BackoffCoefficient { get; }

    public TimeSpan MaxRetryInterval { get; }

    /// <summary>No retry starts later than this after the first attempt; null for no limit.</summary>
    public TimeSpan? RetryTimeout { get; }

    /// <summary>Which failures are retried; all of them when null.</summary>
    public Func<FailureDetails, bool>? Handle { get; init; }

    /// <summary>
    /// The delay before attempt <paramref name="failedAttempts"/> + 1, or null when no further attempt should be made.
    /// Pure, so replays compute the same schedule.
    /// </summary>
    public TimeSpan? NextDelay(int failedAttempts, TimeSpan elapsedSinceFirstAttempt, FailureDetails failure)
    {
        if (failedAttempts >= MaxNumberOfAttempts || (Handle is not null && !Handle(failure)))
        {
            return null;
        }

        var factor = Math.Pow(BackoffCoefficient, failedAttempts - 1);
        var delay = TimeSpan.FromTicks((long)Math.Min(FirstRetryInterval.Ticks * factor, MaxRetryInterval.Ticks));
        if (RetryTimeout is { } timeout && elapsedSinceFirstAttempt + delay > timeout)
        {
            return null;
        }

        return delay;
    }
}
