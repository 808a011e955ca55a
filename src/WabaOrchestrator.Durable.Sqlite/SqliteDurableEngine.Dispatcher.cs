using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WabaOrchestrator.Durable.Sqlite;

internal sealed partial class SqliteDurableEngine
{
    /// <summary>
    /// Applies a batch of messages and commits everything they caused (history, work items, timers, instance rows)
    /// in one transaction; only then are activities dispatched, timers armed and callers answered. When applying a
    /// message hits an unexpected error, the batch is rolled back and its messages are re-applied one per
    /// transaction, so the error fails only its own instance and never stops the others.
    /// </summary>
    private void ProcessBatch(List<EngineMessage> messages)
    {
        var batch = new Batch(_time.GetUtcNow().UtcDateTime);
        var store = _store!;
        try
        {
            store.Begin();
            foreach (var message in messages)
            {
                Apply(batch, message);
            }

            store.AppendHistory(batch.History);
            foreach (var record in batch.Dirty.Values)
            {
                store.SaveInstance(record);
            }

            store.Commit();
        }
        catch (Exception ex)
        {
            RollBack(batch);
            if (ex is SqliteException or DurableStoreUnavailableException)
            {
                HandleFailedCommit(messages, ex);
            }
            else if (messages.Count > 1)
            {
                foreach (var message in messages)
                {
                    ProcessBatch([message]);
                }
            }
            else
            {
                FailAfterEngineError(messages[0], ex);
            }

            return;
        }

        if (messages.Exists(m => m is not ProbeCommand))
        {
            // Only real work clears a failure: a probe's one-row write can succeed while bigger writes still fail.
            _commitFailures = 0;
            _lastCommitError = null;
        }

        AfterCommit(batch);
    }

    /// <summary>Memory ran ahead of the database: forget the batch's instances; they are rebuilt from what was committed.</summary>
    private void RollBack(Batch batch)
    {
        try
        {
            _store!.Rollback();
        }
        catch (SqliteException rollbackError)
        {
            _logger.LogError(rollbackError, "Durable engine could not roll back a failed batch.");
        }

        foreach (var instanceId in batch.Touched.Keys)
        {
            _cache.Remove(instanceId);
        }
    }

    private void FailAfterEngineError(EngineMessage message, Exception error)
    {
        _logger.LogError(error, "Durable engine error while applying {Message} to instance {InstanceId}; the instance is failed.", message.GetType().Name, message.InstanceId);
        var batch = new Batch(_time.GetUtcNow().UtcDateTime);
        try
        {
            _store!.Begin();
            FailInstance(batch, message.InstanceId, FailureDetails.FromException(error));
            foreach (var record in batch.Dirty.Values)
            {
                _store.SaveInstance(record);
            }

            _store.Commit();
        }
        catch (Exception ex) when (ex is SqliteException or DurableStoreUnavailableException)
        {
            RollBack(batch);
            HandleFailedCommit([message], ex);
            return;
        }

        if (message is CommandMessage command)
        {
            batch.Replies.Add((command, false, error));
        }

        AfterCommit(batch);
    }

    private void Apply(Batch batch, EngineMessage message)
    {
        switch (message)
        {
            case StartCommand start:
                Start(batch, start);
                break;
            case RaiseEventCommand raise:
                RaiseEvent(batch, raise);
                break;
            case TerminateCommand terminate:
                Terminate(batch, terminate);
                break;
            case PurgeCommand purge:
                Purge(batch, purge);
                break;
            case ProbeCommand probe:
                _store!.TouchHealth(batch.Now);
                batch.Replies.Add((probe, true, null));
                break;

            case ActivityResult result:
                var completed = result.Failure is null
                    ? new HistoryEvent(HistoryEventKind.ActivityCompleted, batch.Now, result.TaskId, Data: result.Output)
                    : new HistoryEvent(HistoryEventKind.ActivityFailed, batch.Now, result.TaskId, Data: Json.SerializeFailure(result.Failure));
                _store!.DeleteWork(result.InstanceId, result.TaskId, result.ExecutionId);
                DeliverResult(batch, result.InstanceId, result.ExecutionId, completed);
                break;
            case TimerFired fired:
                _store!.DeleteTimer(fired.InstanceId, fired.TaskId, fired.ExecutionId);
                DeliverResult(batch, fired.InstanceId, fired.ExecutionId, new HistoryEvent(HistoryEventKind.TimerFired, batch.Now, fired.TaskId));
                break;
            default:
                throw new InvalidOperationException($"Unknown engine message {message.GetType().Name}.");
        }
    }

    private void Start(Batch batch, StartCommand command)
    {
        var existing = Find(batch, command.InstanceId);
        if (existing?.Record.IsRunning == true)
        {
            batch.Replies.Add((command, false, new OrchestrationAlreadyExistsException(command.InstanceId)));
            return;
        }

        if (existing is not null)
        {
            // Same as Durable Functions: a finished id starts afresh and its old history goes.
            _store!.DeleteInstance(command.InstanceId, keepRow: true);
            batch.ForgetHistory(command.InstanceId);
        }

        var record = new InstanceRecord
        {
            InstanceId = command.InstanceId,
            Name = _orchestrators[command.Name].Name,
            ExecutionId = Guid.NewGuid().ToString("N"),
            Status = OrchestrationRuntimeStatus.Running,
            CreatedAt = batch.Now,
            UpdatedAt = batch.Now,
            Input = command.Input,
            TraceParent = command.TraceParent,
        };
        var entry = new Entry(record);
        batch.Touched[command.InstanceId] = entry;
        batch.Dirty[command.InstanceId] = record;
        if (TryCreateRuntime(batch, entry) is { } runtime)
        {
            using var span = StartEpisode(record);

            // Started outside any trace: the first episode's span is the one later work continues.
            record.TraceParent ??= span?.Id;
            runtime.Start(command.Input, batch.Now);
            Collect(batch, entry, span);
        }

        batch.Replies.Add((command, true, null));
    }

    private void RaiseEvent(Batch batch, RaiseEventCommand command)
    {
        var entry = Find(batch, command.InstanceId);
        if (entry is null)
        {
            batch.Replies.Add((command, false, new OrchestrationNotFoundException(command.InstanceId)));
            return;
        }

        if (entry.Runtime is not { } runtime)
        {
            batch.Replies.Add((command, false, new OrchestrationNotRunningException(command.InstanceId, entry.Record.Status)));
            return;
        }

        if (!runtime.IsAwaited(command.EventName) && runtime.BufferedEventCount >= _options.MaxBufferedEvents)
        {
            // Never written to history, so replay stays the same. The caller is answered normally: a sender (a
            // webhook) cannot do anything better with a refusal, and an attacker learns nothing from it.
            var dropped = _droppedEvents.AddOrUpdate(command.InstanceId, 1, (_, count) => count + 1);
            _logger.LogWarning(
                "Durable engine dropped event {EventName} for instance {InstanceId}: {Buffered} events already wait to be consumed (MaxBufferedEvents); {Dropped} dropped for it so far.",
                command.EventName,
                command.InstanceId,
                runtime.BufferedEventCount,
                dropped);
            batch.Replies.Add((command, true, null));
            return;
        }

        using var span = StartEpisode(entry.Record, command.TraceParent);
        runtime.Deliver(new HistoryEvent(HistoryEventKind.EventRaised, batch.Now, Name: command.EventName, Data: command.Data));
        Collect(batch, entry, span);
        batch.Replies.Add((command, true, null));
    }

    private void Terminate(Batch batch, TerminateCommand command)
    {
        var entry = Find(batch, command.InstanceId);
        if (entry is null)
        {
            batch.Replies.Add((command, false, new OrchestrationNotFoundException(command.InstanceId)));
            return;
        }

        if (entry.Runtime is { } runtime)
        {
            runtime.Terminate(command.Reason, batch.Now);
            Collect(batch, entry);
        }

        batch.Replies.Add((command, true, null));
    }

    private void Purge(Batch batch, PurgeCommand command)
    {
        var entry = Find(batch, command.InstanceId);
        if (entry is null || entry.Record.IsRunning)
        {
            batch.Replies.Add((command, false, null));
            return;
        }

        _store!.DeleteInstance(command.InstanceId, keepRow: false);
        _droppedEvents.TryRemove(command.InstanceId, out _);
        batch.ForgetHistory(command.InstanceId);
        batch.Touched[command.InstanceId] = null;
        batch.Dirty.Remove(command.InstanceId);
        batch.Replies.Add((command, true, null));
    }

    /// <summary>An activity result or timer firing; dropped when its execution has ended or no longer waits for it.</summary>
    private void DeliverResult(Batch batch, string instanceId, string executionId, HistoryEvent result)
    {
        if (Find(batch, instanceId) is { Runtime: { } runtime } entry && entry.Record.ExecutionId == executionId && runtime.Accepts(result))
        {
            using var span = StartEpisode(entry.Record);
            runtime.Deliver(result);
            Collect(batch, entry, span);
        }
    }

    /// <summary>The instance as of this batch: already touched, cached, or read from the database and replayed.</summary>
    private Entry? Find(Batch batch, string instanceId)
    {
        if (batch.Touched.TryGetValue(instanceId, out var touched))
        {
            return touched;
        }

        if (_cache.TryGetValue(instanceId, out var cached))
        {
            batch.Touched[instanceId] = cached;
            return cached;
        }

        var record = _store!.ReadInstance(instanceId);
        var entry = record is null ? null : new Entry(record);
        batch.Touched[instanceId] = entry;
        if (entry is { Record.IsRunning: true } && TryCreateRuntime(batch, entry) is { } runtime)
        {
            runtime.Replay(_store.ReadHistory(instanceId), entry.Record.CustomStatus);
            Collect(batch, entry);
        }

        return entry;
    }

    private OrchestrationRuntime? TryCreateRuntime(Batch batch, Entry entry)
    {
        var record = entry.Record;
        try
        {
            if (!_orchestrators.TryGetValue(record.Name, out var registration))
            {
                throw new UnknownTaskException("orchestrator", record.Name);
            }

            var orchestrator = (IOrchestrator)_services.GetRequiredService(registration.Type);
            entry.Runtime = new OrchestrationRuntime(record.Name, record.InstanceId, record.ExecutionId, orchestrator, _loggerFactory);
            return entry.Runtime;
        }
        catch (Exception ex) when (ex is not SqliteException)
        {
            FailInstance(batch, record.InstanceId, FailureDetails.FromException(ex), entry);
            return null;
        }
    }

    /// <summary>Ends an instance as Failed without its code: an engine error, or its orchestrator can no longer be built.</summary>
    private void FailInstance(Batch batch, string instanceId, FailureDetails failure, Entry? entry = null)
    {
        entry ??= _store!.ReadInstance(instanceId) is { } record ? new Entry(record) : null;
        if (entry is null || !entry.Record.IsRunning)
        {
            return;
        }

        entry.Runtime = null;
        entry.Record.Status = OrchestrationRuntimeStatus.Failed;
        entry.Record.Failure = failure;
        entry.Record.UpdatedAt = batch.Now;
        _store!.DeleteLeftovers(instanceId);
        batch.Touched[instanceId] = entry;
        batch.Dirty[instanceId] = entry.Record;
        batch.Finished.Add(instanceId);
    }

    /// <summary>The span of an episode that runs orchestrator code; a replay has none.</summary>
    private static Activity? StartEpisode(InstanceRecord record, string? link = null) =>
        DurableTelemetry.Start("orchestration", record.Name, record.InstanceId, record.ExecutionId, record.TraceParent, link: link);

    /// <summary>
    /// Writes what the runtime recorded since the last collection into the batch's transaction. Activities scheduled
    /// by <paramref name="episode"/> run as its children; those scheduled in a replay continue the instance's trace.
    /// </summary>
    private void Collect(Batch batch, Entry entry, Activity? episode = null)
    {
        var runtime = entry.Runtime!;
        var record = entry.Record;
        var changes = runtime.TakeChanges();
        var store = _store!;
        foreach (var (sequence, historyEvent) in changes.History)
        {
            batch.History.Add((record.InstanceId, sequence, historyEvent));
        }

        var workParent = episode?.Id ?? record.TraceParent;
        foreach (var scheduled in changes.Work)
        {
            var item = workParent is null ? scheduled : scheduled with { TraceParent = workParent };
            store.InsertWork(item);
            batch.NewWork.Add(item);
        }

        foreach (var timer in changes.Timers)
        {
            store.InsertTimer(timer);
            batch.NewTimers.Add(timer);
        }

        foreach (var taskId in changes.CancelledTimers)
        {
            store.DeleteTimer(record.InstanceId, taskId, record.ExecutionId);
            batch.CancelledTimers.Add((record.InstanceId, taskId));
        }

        if (runtime.FinalStatus is { } status)
        {
            record.Status = status;
            record.Output = runtime.Output;
            record.Failure = runtime.Failure;
            if (status == OrchestrationRuntimeStatus.Failed)
            {
                episode?.SetStatus(ActivityStatusCode.Error, runtime.Failure?.ErrorType);
            }

            store.DeleteLeftovers(record.InstanceId);
            batch.CancelledTimers.AddRange(runtime.PendingTimerIds.Select(taskId => (record.InstanceId, taskId)));
            entry.Runtime = null;
            batch.Finished.Add(record.InstanceId);
        }
        else if (changes.History.Count == 0)
        {
            return;
        }

        record.CustomStatus = runtime.CustomStatus;
        record.UpdatedAt = batch.Now;
        batch.Dirty[record.InstanceId] = record;
    }

    private void AfterCommit(Batch batch)
    {
        // While stopping, new work stays in the database only: the next start runs it.
        var accepting = !_accepting!.IsCancellationRequested;
        foreach (var item in batch.NewWork)
        {
            if (accepting && IsCurrent(batch, item.InstanceId, item.ExecutionId))
            {
                _work.Writer.TryWrite(item);
            }
        }

        foreach (var timer in batch.NewTimers)
        {
            if (IsCurrent(batch, timer.InstanceId, timer.ExecutionId))
            {
                _timers.Add(timer);
            }
        }

        foreach (var (instanceId, taskId) in batch.CancelledTimers)
        {
            _timers.Remove(instanceId, taskId);
        }

        foreach (var (instanceId, entry) in batch.Touched)
        {
            if (entry?.Runtime is not null)
            {
                entry.LastUsed = ++_useClock;
                _cache[instanceId] = entry;
            }
            else
            {
                _cache.Remove(instanceId);
            }
        }

        foreach (var (command, result, error) in batch.Replies)
        {
            if (error is null)
            {
                command.Done.TrySetResult(result);
            }
            else
            {
                command.Done.TrySetException(error);
            }
        }

        foreach (var instanceId in batch.Finished)
        {
            if (batch.Touched.GetValueOrDefault(instanceId) is { Record.IsRunning: false } finished)
            {
                SignalFinished(finished.Record);
            }
        }

        TrimCache();
    }

    private static bool IsCurrent(Batch batch, string instanceId, string executionId) =>
        batch.Touched.TryGetValue(instanceId, out var entry) && entry is { Runtime: not null } && entry.Record.ExecutionId == executionId;

    /// <summary>Keeps memory bounded: instances only waiting on events or timers go first, then the least recently used.</summary>
    private void TrimCache()
    {
        var limit = _options.MaxCachedInstances;
        if (_cache.Count <= limit)
        {
            return;
        }

        // Trim a little below the limit so a full cache is not re-sorted on every batch.
        var target = limit - (limit / 10);
        var victims = _cache.Values
            .OrderBy(e => e.Runtime!.HasPendingActivities)
            .ThenBy(e => e.LastUsed)
            .Take(_cache.Count - target)
            .Select(e => e.Record.InstanceId)
            .ToList();
        foreach (var instanceId in victims)
        {
            _cache.Remove(instanceId);
        }
    }

    private void HandleFailedCommit(List<EngineMessage> messages, Exception error)
    {
        var failures = Interlocked.Increment(ref _commitFailures);
        _lastCommitError = error;
        var delay = RetryDelay(failures);
        var refusal = error as DurableStoreUnavailableException ?? StoreErrors.Translate((SqliteException)error, RetryAfter);
        var retry = new List<EngineMessage>();
        foreach (var message in messages)
        {
            if (message is CommandMessage command)
            {
                command.Done.TrySetException(refusal);
            }
            else
            {
                retry.Add(message);
            }
        }

        if (retry.Count > 0)
        {
            _ = RetryLaterAsync(retry, delay);
        }

        // Logged once the retry's timer is armed, so whoever reads the line can rely on the retry being scheduled.
        _logger.LogError(
            error,
            "Durable engine could not commit a batch of {Count} messages ({Failures} failed commits in a row); commands fail, results are retried in {Delay} ms.",
            messages.Count,
            failures,
            (int)delay.TotalMilliseconds);
    }

    /// <summary>50 ms after the first failure, doubling to at most 5 s: a broken store is not hammered, a blip costs little.</summary>
    private static TimeSpan RetryDelay(int failures) =>
        failures <= 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Min(5_000, 50 * Math.Pow(2, Math.Min(failures - 1, 16))));

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private async Task RetryLaterAsync(List<EngineMessage> messages, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _time, _abort!.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        foreach (var message in messages)
        {
            _inbox.Writer.TryWrite(message);
        }
    }

    /// <summary>Everything one batch changes, applied to memory and callers only after its commit.</summary>
    private sealed class Batch(DateTime now)
    {
        public DateTime Now { get; } = now;

        /// <summary>Instances seen in this batch; null for ids that do not exist (or were purged).</summary>
        public Dictionary<string, Entry?> Touched { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, InstanceRecord> Dirty { get; } = new(StringComparer.Ordinal);

        public List<ActivityWorkItem> NewWork { get; } = [];

        public List<DurableTimer> NewTimers { get; } = [];

        public List<(string InstanceId, int TaskId)> CancelledTimers { get; } = [];

        public List<(CommandMessage Command, bool Result, Exception? Error)> Replies { get; } = [];

        public HashSet<string> Finished { get; } = new(StringComparer.Ordinal);

        /// <summary>History rows to insert at the end of the batch.</summary>
        public List<(string InstanceId, int Sequence, HistoryEvent Event)> History { get; } = [];

        /// <summary>An instance's history is being deleted: rows queued for it in this batch must not be written.</summary>
        public void ForgetHistory(string instanceId) => History.RemoveAll(h => h.InstanceId == instanceId);
    }
}
