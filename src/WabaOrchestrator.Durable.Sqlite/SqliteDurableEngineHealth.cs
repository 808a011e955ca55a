namespace WabaOrchestrator.Durable.Sqlite;

/// <summary>What the engine's health check reports; <see cref="Data"/> is safe to show on an open health endpoint.</summary>
public sealed record SqliteDurableEngineHealthReport(bool Healthy, string Description, IReadOnlyDictionary<string, object> Data);

/// <summary>
/// The embedded engine's health for a host's health check: a probe write committed through the dispatcher (so the
/// whole write path is exercised, not only a read), the last commits' outcome and whether every loop still runs.
/// </summary>
public sealed class SqliteDurableEngineHealth
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);
    private readonly SqliteDurableEngine _engine;

    internal SqliteDurableEngineHealth(SqliteDurableEngine engine) => _engine = engine;

    /// <summary>Events dropped for this instance since the engine started because its buffer was full.</summary>
    public long DroppedEvents(string instanceId) => _engine.DroppedEvents.GetValueOrDefault(instanceId);

    public async Task<SqliteDurableEngineHealthReport> CheckAsync(CancellationToken cancellationToken = default)
    {
        if (_engine.Fault is { } fault)
        {
            return Report(false, $"The durable engine stopped making progress after an internal error ({fault.GetType().Name}: {fault.Message}); restart the host.");
        }

        if (!_engine.IsRunning)
        {
            return Report(false, "The durable engine is not running (starting or stopping).");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await _engine.SendAsync(new ProbeCommand(), timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Report(false, $"The durable engine did not commit a probe write within {ProbeTimeout.TotalSeconds} s.");
        }
        catch (DurableStoreUnavailableException ex)
        {
            return Report(false, $"The durable engine cannot write its database ({ex.Reason}): {ex.Message}");
        }

        if (_engine.ConsecutiveCommitFailures is > 0 and var failures)
        {
            return Report(false, $"The durable engine's last {failures} commits failed ({_engine.LastCommitError?.Message}); work waits and is retried.");
        }

        return Report(true, "The durable engine commits.");
    }

    private SqliteDurableEngineHealthReport Report(bool healthy, string description) => new(
        healthy,
        description,
        new Dictionary<string, object>
        {
            ["consecutiveCommitFailures"] = _engine.ConsecutiveCommitFailures,
            ["droppedEvents"] = _engine.DroppedEvents.Values.Sum(),
            ["instancesWithDroppedEvents"] = _engine.DroppedEvents.Count,
        });
}
