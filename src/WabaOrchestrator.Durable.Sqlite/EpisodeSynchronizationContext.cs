namespace WabaOrchestrator.Durable.Sqlite;

/// <summary>
/// The single-threaded scheduler of one instance. Every orchestrator continuation is posted here and run by
/// <see cref="Run"/> on the dispatcher thread, so replay executes the code in the same order each time; an
/// episode ends when the queue is empty (the orchestrator waits on something only history can complete).
/// </summary>
internal sealed class EpisodeSynchronizationContext : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_queue)
        {
            _queue.Enqueue((d, state));
        }
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Orchestrator code cannot block on its scheduler.");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs <paramref name="action"/> and then every continuation it makes runnable, with this context current.</summary>
    public void Run(Action action)
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            action();
            while (TryDequeue(out var work))
            {
                work.Callback(work.State);
            }
        }
        finally
        {
            SetSynchronizationContext(previous);
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
