namespace WabaOrchestrator.Durable.Sqlite;

/// <summary>
/// The single-threaded scheduler of one instance. Every orchestrator continuation is posted here and run by
/// <see cref="Run"/> on the dispatcher thread, so replay executes the code in the same order each time; an episode
/// ends when the queue is empty (the orchestrator waits on something only history can complete).
/// </summary>
internal sealed class EpisodeSynchronizationContext : SynchronizationContext
{
    /// <summary>How long an episode waits for the continuation of a <c>CancelAsync()</c> it has seen start.</summary>
    private static readonly TimeSpan CancelAsyncGrace = TimeSpan.FromSeconds(1);

    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private bool _cancelledFromOutside;

    public bool IsCurrent => Current == this;

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_queue)
        {
            _queue.Enqueue((d, state));
            Monitor.PulseAll(_queue);
        }
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Orchestrator code cannot block on its scheduler.");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>
    /// Runs a cancellation handler on the episode: directly when called from it (<c>Cancel()</c>), posted when called
    /// from the thread pool (<c>CancelAsync()</c> runs callbacks there).
    /// </summary>
    public void RunOnEpisode(Action handler)
    {
        if (IsCurrent)
        {
            handler();
            return;
        }

        Post(_ =>
        {
            handler();
            _cancelledFromOutside = true;
        }, null);
    }

    /// <summary>
    /// Runs <paramref name="action"/> and then every continuation it makes runnable, with this context current.
    /// <paramref name="cancellationInFlight"/> tells whether a token the orchestrator waits on was cancelled but its
    /// handler has not run yet (a <c>CancelAsync()</c> on its way): then the episode waits for it, and for the
    /// continuation that follows it, instead of ending early and leaving the orchestrator stuck.
    /// </summary>
    public void Run(Action action, Func<bool> cancellationInFlight)
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            action();
            while (true)
            {
                while (TryDequeue(out var work))
                {
                    work.Callback(work.State);
                }

                if (cancellationInFlight())
                {
                    WaitForPost(CancelAsyncGrace);
                }
                else if (_cancelledFromOutside)
                {
                    _cancelledFromOutside = false;
                    WaitForPost(CancelAsyncGrace);
                }
                else
                {
                    return;
                }
            }
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    private void WaitForPost(TimeSpan timeout)
    {
        lock (_queue)
        {
            if (_queue.Count == 0)
            {
                Monitor.Wait(_queue, timeout);
            }
        }
    }

    private bool TryDequeue(out (SendOrPostCallback Callback, object? State) work)
    {
        lock (_queue)
        {
            return _queue.TryDequeue(out work);
        }
    }
}
