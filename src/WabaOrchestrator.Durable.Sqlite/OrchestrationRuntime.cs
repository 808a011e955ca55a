using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace WabaOrchestrator.Durable.Sqlite;

/// <summary>
/// One execution of an orchestrator: the <see cref="IOrchestrationContext"/> it sees and the replay state machine
/// behind it. History input events (started, activity results, timer firings, events) are fed one at a time by the
/// dispatcher thread; after each one the orchestrator runs on its <see cref="EpisodeSynchronizationContext"/> until
/// it waits again. The execution stays suspended in memory between episodes while the instance is cached, so a
/// step only appends; a rebuilt runtime replays the whole history first (<see cref="Replay"/>).
/// </summary>
internal sealed class OrchestrationRuntime(
    string name,
    string instanceId,
    string executionId,
    IOrchestrator orchestrator,
    ILoggerFactory loggerFactory) : IOrchestrationContext
{
    private readonly EpisodeSynchronizationContext _scheduler = new();
    private readonly Dictionary<int, PendingActivity> _activities = [];
    private readonly Dictionary<int, PendingTimer> _timers = [];
    private readonly Dictionary<string, Queue<string?>> _bufferedEvents = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, LinkedList<EventWaiter>> _eventWaiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(int Sequence, HistoryEvent Event)> _newHistory = [];
    private readonly List<ActivityWorkItem> _newWork = [];
    private readonly List<DurableTimer> _newTimers = [];
    private readonly List<int> _cancelledTimers = [];
    private List<HistoryEvent>? _recordedDecisions;
    private Task<object?>? _run;
    private int _nextTaskId;
    private int _nextSequence;
    private bool _customStatusChanged;

    public string Name { get; } = name;

    public string InstanceId { get; } = instanceId;

    public string ExecutionId { get; } = executionId;

    public DateTime CurrentUtcDateTime { get; private set; }

    public bool IsReplaying { get; private set; }

    public string? CustomStatus { get; private set; }

    /// <summary>Set once the execution has ended: Completed, Failed or Terminated.</summary>
    public OrchestrationRuntimeStatus? FinalStatus { get; private set; }

    public string? Output { get; private set; }

    public FailureDetails? Failure { get; private set; }

    /// <summary>True while an activity is outstanding; instances that only wait on events or timers are evicted first.</summary>
    public bool HasPendingActivities => _activities.Count > 0;

    /// <summary>Events raised but not consumed yet (what a flood of events would grow).</summary>
    public int BufferedEventCount => _bufferedEvents.Values.Sum(q => q.Count);

    /// <summary>Some wait takes the next event of this name at once, so delivering it buffers nothing.</summary>
    public bool IsAwaited(string eventName) => _eventWaiters.TryGetValue(eventName, out var waiters) && waiters.First is not null;

    /// <summary>The timers still pending, so they can be unscheduled when the execution ends.</summary>
    public IEnumerable<int> PendingTimerIds => _timers.Keys;

    /// <summary>Starts a new execution: records ExecutionStarted and runs the first episode.</summary>
    public void Start(string? input, DateTime now, string? customStatus = null)
    {
        CustomStatus = customStatus;
        Process(Append(new HistoryEvent(HistoryEventKind.ExecutionStarted, now, Data: input)));
    }

    /// <summary>Rebuilds the execution from its recorded history (an evicted instance, or after a restart).</summary>
    public void Replay(IReadOnlyList<HistoryEvent> history, string? committedCustomStatus)
    {
        _recordedDecisions = history.Where(e => e.IsScheduling).ToList();
        _nextSequence = history.Count;
        var decisionsSoFar = 0;
        IsReplaying = true;
        foreach (var recorded in history)
        {
            if (recorded.IsScheduling)
            {
                decisionsSoFar++;
                continue;
            }

            if (!recorded.IsInput || FinalStatus is not null)
            {
                continue;
            }

            // Everything decided before this input must have been decided again by now.
            if (_nextTaskId < decisionsSoFar)
            {
                FailUnmatchedDecision();
                break;
            }

            Process(recorded);
        }

        if (FinalStatus is null && _nextTaskId < _recordedDecisions.Count)
        {
            FailUnmatchedDecision();
        }

        _recordedDecisions = null;
        IsReplaying = false;
        CustomStatus = committedCustomStatus;
        _customStatusChanged = false;
    }

    /// <summary>False for results nobody waits for any more (a cancelled timer's firing, an ended execution).</summary>
    public bool Accepts(HistoryEvent input) => FinalStatus is null && input.Kind switch
    {
        HistoryEventKind.ActivityCompleted or HistoryEventKind.ActivityFailed => _activities.ContainsKey(input.TaskId),
        HistoryEventKind.TimerFired => _timers.ContainsKey(input.TaskId),
        HistoryEventKind.EventRaised => true,
        _ => false,
    };

    /// <summary>Records a new input event and runs the orchestrator on it.</summary>
    public void Deliver(HistoryEvent input) => Process(Append(input));

    public void Terminate(string? reason, DateTime now)
    {
        if (FinalStatus is not null)
        {
            return;
        }

        Output = Json.Serialize(reason, "reason");
        Append(new HistoryEvent(HistoryEventKind.ExecutionTerminated, now, Data: Output));
        FinalStatus = OrchestrationRuntimeStatus.Terminated;
    }

    /// <summary>Hands the dispatcher what this runtime recorded since the last call, for the next commit.</summary>
    public Changes TakeChanges()
    {
        var changes = new Changes([.. _newHistory], [.. _newWork], [.. _newTimers], [.. _cancelledTimers]);
        _newHistory.Clear();
        _newWork.Clear();
        _newTimers.Clear();
        _cancelledTimers.Clear();
        return changes;
    }

    public Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, RetryPolicy? retry = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var serializedInput = Json.Serialize(input, nameof(input));
        return retry is null ? CallOnceAsync<TResult>(name, serializedInput) : CallWithRetryAsync<TResult>(name, serializedInput, retry);
    }

    public Task CallActivityAsync(string name, object? input = null, RetryPolicy? retry = null) =>
        CallActivityAsync<object?>(name, input, retry);

    public Task CreateTimer(DateTime fireAtUtc, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        var fireAt = fireAtUtc.Kind switch
        {
            DateTimeKind.Local => fireAtUtc.ToUniversalTime(),
            DateTimeKind.Unspecified => DateTime.SpecifyKind(fireAtUtc, DateTimeKind.Utc),
            _ => fireAtUtc,
        };
        if (!TryDecide(HistoryEventKind.TimerCreated, null, out var taskId))
        {
            return new TaskCompletionSource().Task;
        }

        if (taskId >= (_recordedDecisions?.Count ?? 0))
        {
            Append(new HistoryEvent(HistoryEventKind.TimerCreated, CurrentUtcDateTime, taskId, Data: fireAt.ToString("O", CultureInfo.InvariantCulture)));
            _newTimers.Add(new DurableTimer(InstanceId, ExecutionId, taskId, fireAt));
        }

        var timer = new PendingTimer(new TaskCompletionSource());
        _timers.Add(taskId, timer);
        if (cancellationToken.CanBeCanceled)
        {
            // Cancellation comes from the orchestrator's own code, so it happens at the same point on every replay.
            timer.Token = cancellationToken;
            timer.Registration = cancellationToken.Register(() => _scheduler.RunOnEpisode(() =>
            {
                if (_timers.Remove(taskId))
                {
                    _cancelledTimers.Add(taskId);
                    timer.Completion.TrySetCanceled(cancellationToken);
                }
            }));
        }

        return timer.Completion.Task;
    }

    public Task<T> WaitForExternalEvent<T>(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        if (_bufferedEvents.TryGetValue(name, out var buffered) && buffered.Count > 0)
        {
            return ReadAsync<T>(Task.FromResult(buffered.Dequeue()));
        }

        if (!_eventWaiters.TryGetValue(name, out var waiters))
        {
            waiters = new LinkedList<EventWaiter>();
            _eventWaiters.Add(name, waiters);
        }

        var waiter = new EventWaiter(new TaskCompletionSource<string?>());
        var node = waiters.AddLast(waiter);
        if (cancellationToken.CanBeCanceled)
        {
            // A cancelled wait leaves the queue without consuming anything: the next event goes to the next wait.
            waiter.Token = cancellationToken;
            waiter.Registration = cancellationToken.Register(() => _scheduler.RunOnEpisode(() =>
            {
                if (node.List is not null)
                {
                    waiters.Remove(node);
                    waiter.Completion.TrySetCanceled(cancellationToken);
                }
            }));
        }

        return ReadAsync<T>(waiter.Completion.Task);
    }

    public void SetCustomStatus(object? status)
    {
        var json = Json.Serialize(status, nameof(status));
        var size = json is null ? 0 : Encoding.UTF8.GetByteCount(json);
        if (size > DurableLimits.MaxCustomStatusBytes)
        {
            throw new ArgumentException(
                $"Custom status is {size} bytes of JSON; the limit is {DurableLimits.MaxCustomStatusBytes} bytes.", nameof(status));
        }

        CustomStatus = json;
        _customStatusChanged = true;
    }

    public ILogger CreateReplaySafeLogger(string categoryName) => new ReplaySafeLogger(loggerFactory.CreateLogger(categoryName), this);

    private async Task<TResult> CallOnceAsync<TResult>(string name, string? input) =>
        Json.Deserialize<TResult>(await ScheduleActivity(name, input));

    private async Task<TResult> CallWithRetryAsync<TResult>(string name, string? input, RetryPolicy retry)
    {
        // Replay-safe: the clock is the episode time and the waits are durable timers, recorded like any other step.
        var firstAttempt = CurrentUtcDateTime;
        for (var failedAttempts = 1; ; failedAttempts++)
        {
            try
            {
                return await CallOnceAsync<TResult>(name, input);
            }
            catch (ActivityFailedException ex)
            {
                if (retry.NextDelay(failedAttempts, CurrentUtcDateTime - firstAttempt, ex.Failure) is not { } delay)
                {
                    throw;
                }

                await CreateTimer(CurrentUtcDateTime + delay, CancellationToken.None);
            }
        }
    }

    private Task<string?> ScheduleActivity(string name, string? input)
    {
        if (!TryDecide(HistoryEventKind.ActivityScheduled, name, out var taskId))
        {
            return new TaskCompletionSource<string?>().Task;
        }

        if (taskId >= (_recordedDecisions?.Count ?? 0))
        {
            Append(new HistoryEvent(HistoryEventKind.ActivityScheduled, CurrentUtcDateTime, taskId, name, input));
            _newWork.Add(new ActivityWorkItem(InstanceId, ExecutionId, taskId, name, input));
        }

        var pending = new PendingActivity(name, new TaskCompletionSource<string?>());
        _activities.Add(taskId, pending);
        return pending.Completion.Task;
    }

    private static async Task<T> ReadAsync<T>(Task<string?> payload) => Json.Deserialize<T>(await payload);

    /// <summary>Numbers the orchestrator's next decision and, while replaying, checks it against the recorded one.</summary>
    private bool TryDecide(HistoryEventKind kind, string? name, out int taskId)
    {
        taskId = _nextTaskId++;
        if (FinalStatus is not null)
        {
            return false;
        }

        if (_recordedDecisions is { } recorded && taskId < recorded.Count)
        {
            var expected = recorded[taskId];
            if (expected.Kind != kind || !string.Equals(expected.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                FailNonDeterministic($"step {taskId + 1}: history has {Describe(expected.Kind, expected.Name)}, code asked for {Describe(kind, name)}");
                return false;
            }
        }

        return true;
    }

    private void FailUnmatchedDecision()
    {
        var expected = _recordedDecisions![_nextTaskId];
        FailNonDeterministic($"step {_nextTaskId + 1}: history has {Describe(expected.Kind, expected.Name)}, code did not ask for it");
    }

    private void FailNonDeterministic(string detail)
    {
        var error = new NonDeterministicOrchestrationException(
            $"Orchestration '{Name}' ('{InstanceId}') is not deterministic: {detail}. Orchestrator code changed while instances were running, or it uses the clock, random values or I/O directly.");
        End(OrchestrationRuntimeStatus.Failed, null, FailureDetails.FromException(error), CurrentUtcDateTime);
    }

    private static string Describe(HistoryEventKind kind, string? name) => kind switch
    {
        HistoryEventKind.ActivityScheduled => $"ActivityScheduled '{name}'",
        HistoryEventKind.TimerCreated => "CreateTimer",
        _ => kind.ToString(),
    };

    private HistoryEvent Append(HistoryEvent historyEvent)
    {
        _newHistory.Add((_nextSequence++, historyEvent));
        return historyEvent;
    }

    private void Process(HistoryEvent input)
    {
        CurrentUtcDateTime = input.Timestamp;
        try
        {
            _scheduler.Run(() => Apply(input), CancellationInFlight);
        }
        catch (Exception ex)
        {
            // Thrown by a synchronous continuation (async void, a callback), not by an awaited task: still the code's fault.
            End(OrchestrationRuntimeStatus.Failed, null, FailureDetails.FromException(ex), input.Timestamp);
            return;
        }

        if (FinalStatus is not null)
        {
            return;
        }

        if (_customStatusChanged && !IsReplaying)
        {
            _customStatusChanged = false;
            Append(new HistoryEvent(HistoryEventKind.CustomStatus, input.Timestamp, Data: CustomStatus));
        }

        if (_run is { IsCompleted: true } run)
        {
            Complete(run, input.Timestamp);
        }
    }

    /// <summary>A token the orchestrator waits on was cancelled, but its handler has not run on the episode yet.</summary>
    private bool CancellationInFlight() =>
        _timers.Values.Any(t => t.Token.IsCancellationRequested)
        || _eventWaiters.Values.Any(waiters => waiters.Any(w => w.Token.IsCancellationRequested));

    private void Apply(HistoryEvent input)
    {
        switch (input.Kind)
        {
            case HistoryEventKind.ExecutionStarted:
                try
                {
                    _run = orchestrator.RunAsync(this, Json.Deserialize(input.Data, orchestrator.InputType));
                }
                catch (Exception ex)
                {
                    _run = Task.FromException<object?>(ex);
                }

                break;
            case HistoryEventKind.ActivityCompleted when _activities.Remove(input.TaskId, out var activity):
                activity.Completion.TrySetResult(input.Data);
                break;
            case HistoryEventKind.ActivityFailed when _activities.Remove(input.TaskId, out var activity):
                activity.Completion.TrySetException(new ActivityFailedException(activity.Name, Json.DeserializeFailure(input.Data!)));
                break;
            case HistoryEventKind.TimerFired when _timers.Remove(input.TaskId, out var timer):
                timer.Registration.Dispose();
                timer.Completion.TrySetResult();
                break;
            case HistoryEventKind.EventRaised:
                DeliverEvent(input.Name!, input.Data);
                break;
            default:
                break;
        }
    }

    private void DeliverEvent(string eventName, string? payload)
    {
        if (_eventWaiters.TryGetValue(eventName, out var waiters) && waiters.First is { } first)
        {
            waiters.RemoveFirst();
            first.Value.Registration.Dispose();
            first.Value.Completion.TrySetResult(payload);
            return;
        }

        if (!_bufferedEvents.TryGetValue(eventName, out var buffered))
        {
            buffered = new Queue<string?>();
            _bufferedEvents.Add(eventName, buffered);
        }

        buffered.Enqueue(payload);
    }

    private void Complete(Task<object?> run, DateTime now)
    {
        if (run.IsCompletedSuccessfully)
        {
            string? output;
            try
            {
                output = Json.Serialize(run.Result, "output");
            }
            catch (ArgumentException ex)
            {
                End(OrchestrationRuntimeStatus.Failed, null, FailureDetails.FromException(ex), now);
                return;
            }

            End(OrchestrationRuntimeStatus.Completed, output, null, now);
            return;
        }

        var error = run.IsCanceled ? new TaskCanceledException(run) : run.Exception!.InnerExceptions.Count == 1 ? run.Exception.InnerException! : run.Exception;
        End(OrchestrationRuntimeStatus.Failed, null, FailureDetails.FromException(error), now);
    }

    private void End(OrchestrationRuntimeStatus status, string? output, FailureDetails? failure, DateTime now)
    {
        if (FinalStatus is not null)
        {
            return;
        }

        FinalStatus = status;
        Output = output;
        Failure = failure;
        if (_customStatusChanged)
        {
            _customStatusChanged = false;
            Append(new HistoryEvent(HistoryEventKind.CustomStatus, now, Data: CustomStatus));
        }

        Append(status == OrchestrationRuntimeStatus.Completed
            ? new HistoryEvent(HistoryEventKind.ExecutionCompleted, now, Data: output)
            : new HistoryEvent(HistoryEventKind.ExecutionFailed, now, Data: Json.SerializeFailure(failure!)));
    }

    internal sealed record Changes(
        IReadOnlyList<(int Sequence, HistoryEvent Event)> History,
        IReadOnlyList<ActivityWorkItem> Work,
        IReadOnlyList<DurableTimer> Timers,
        IReadOnlyList<int> CancelledTimers);

    private sealed record PendingActivity(string Name, TaskCompletionSource<string?> Completion);

    private sealed class PendingTimer(TaskCompletionSource completion)
    {
        public TaskCompletionSource Completion { get; } = completion;

        public CancellationToken Token { get; set; }

        public CancellationTokenRegistration Registration { get; set; }
    }

    private sealed class EventWaiter(TaskCompletionSource<string?> completion)
    {
        public TaskCompletionSource<string?> Completion { get; } = completion;

        public CancellationToken Token { get; set; }

        public CancellationTokenRegistration Registration { get; set; }
    }
}
