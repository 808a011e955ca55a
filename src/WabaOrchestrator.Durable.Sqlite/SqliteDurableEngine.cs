using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace WabaOrchestrator.Durable.Sqlite;

/// <summary>
/// The embedded engine as a hosted service: one dispatcher loop that applies client commands, activity results and
/// timer firings in batches (each batch one SQLite transaction), a bounded activity worker pool and one timer loop.
/// Stopping drains: no new command, activity or timer is taken, running activities finish (until the host's shutdown
/// timeout cancels them) and the dispatcher commits their results before the store closes.
/// </summary>
internal sealed partial class SqliteDurableEngine : IHostedLifecycleService, IAsyncDisposable
{
    private readonly SqliteDurableEngineOptions _options;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly IReadOnlyDictionary<string, TaskRegistration> _orchestrators;
    private readonly IReadOnlyDictionary<string, TaskRegistration> _activities;
    private readonly Channel<EngineMessage> _inbox = Channel.CreateUnbounded<EngineMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<ActivityWorkItem> _work = Channel.CreateUnbounded<ActivityWorkItem>();
    private readonly Dictionary<string, Entry> _cache = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TaskCompletionSource<InstanceRecord>>> _completionWaiters = new(StringComparer.Ordinal);
    private readonly TimerScheduler _timers;
    private SqliteStore? _store;
    private DatabaseLock? _lock;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _droppedEvents = new(StringComparer.Ordinal);
    private CancellationTokenSource? _accepting;
    private CancellationTokenSource? _abort;
    private Task _dispatcher = Task.CompletedTask;
    private Task _timerLoop = Task.CompletedTask;
    private Task[] _workers = [];
    private long _useClock;
    private volatile bool _running;
    private bool _closed;
    private Task? _draining;
    private volatile int _commitFailures;
    private volatile Exception? _lastCommitError;
    private volatile Exception? _fault;

    public SqliteDurableEngine(
        IOptions<SqliteDurableEngineOptions> options,
        IServiceProvider services,
        IEnumerable<TaskRegistration> registrations,
        TimeProvider time,
        ILoggerFactory? loggerFactory = null)
    {
        _options = options.Value;
        _services = services;
        _time = time;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<SqliteDurableEngine>();
        var all = registrations.ToList();
        _orchestrators = all.ByName(TaskKind.Orchestrator);
        _activities = all.ByName(TaskKind.Activity);
        _timers = new TimerScheduler(time, t => _inbox.Writer.TryWrite(new TimerFired(t.InstanceId, t.ExecutionId, t.TaskId)));
    }

    /// <summary>Commits that failed in a row (reset by the next batch of real work that commits).</summary>
    internal int ConsecutiveCommitFailures => _commitFailures;

    internal Exception? LastCommitError => _lastCommitError;

    /// <summary>Why a loop of the engine ended while it should be running; null while all is well.</summary>
    internal Exception? Fault => _fault;

    internal bool IsRunning => _running;

    /// <summary>Events dropped per instance because <see cref="SqliteDurableEngineOptions.MaxBufferedEvents"/> were already waiting.</summary>
    internal IReadOnlyDictionary<string, long> DroppedEvents => _droppedEvents;

    /// <summary>What a caller is told to wait before trying again: the current commit back-off, at least a second.</summary>
    internal TimeSpan RetryAfter => Max(RetryDelay(_commitFailures), TimeSpan.FromSeconds(1));

    internal string ConnectionString => _store?.ConnectionString ?? throw NotRunning();

    internal TimeProvider Time => _time;

    /// <summary>Instances whose execution is held in memory (dispatcher-owned; read by tests after the engine settles).</summary>
    internal int CachedInstanceCount => _cache.Count;

    internal int ScheduledTimerCount => _timers.Count;

    internal bool IsOrchestratorRegistered(string name) => _orchestrators.ContainsKey(name);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _options.Validate();
        _lock = DatabaseLock.Acquire(_options.DatabasePath);
        try
        {
            _store = new SqliteStore(_options.DatabasePath, _options.Synchronous);
            var timers = _store.LoadTimers();
            foreach (var timer in timers)
            {
                _timers.Add(timer);
            }

            var work = _store.LoadWork();
            foreach (var item in work)
            {
                _work.Writer.TryWrite(item);
            }

            _logger.LogInformation("Durable engine started on {DatabasePath}: resumed {Activities} activities and {Timers} timers.", _options.DatabasePath, work.Count, timers.Count);
        }
        catch
        {
            _store?.Dispose();
            _lock.Dispose();
            throw;
        }

        _accepting = new CancellationTokenSource();
        _abort = new CancellationTokenSource();
        var accepting = _accepting.Token;
        var abort = _abort.Token;
        _dispatcher = Task.Run(() => GuardAsync("dispatcher", () => DispatchAsync(abort), abort), CancellationToken.None);
        _timerLoop = Task.Run(() => GuardAsync("timer loop", () => _timers.RunAsync(accepting), accepting), CancellationToken.None);
        _workers = Enumerable.Range(0, _options.MaxConcurrentActivities)
            .Select(_ => Task.Run(() => GuardAsync("activity worker", () => RunActivitiesAsync(accepting, abort), accepting), CancellationToken.None))
            .ToArray();
        _running = true;
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The drain runs here, before any hosted service's StopAsync: the web server (stopped in StopAsync) still serves
    /// while running activities finish, which matters when they call this same host (the embedded sandbox).
    /// </summary>
    public Task StoppingAsync(CancellationToken cancellationToken) => DrainAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_accepting is null || _closed)
        {
            return;
        }

        await DrainAsync(cancellationToken);
        _closed = true;
        _logger.LogInformation("Durable engine stopped.");
        _store!.Dispose();
        _lock!.Dispose();
        _accepting.Dispose();
        _abort!.Dispose();
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    private Task DrainAsync(CancellationToken cancellationToken) => _draining ??= DrainCoreAsync(cancellationToken);

    private async Task DrainCoreAsync(CancellationToken cancellationToken)
    {
        // Take nothing new: commands are refused, timers stop firing, idle workers leave and work the dispatcher
        // commits from now on stays in the database for the next start.
        _running = false;
        await _accepting!.CancelAsync();
        _logger.LogInformation("Durable engine stopping: takes no new work and waits for running activities (up to the host's shutdown timeout).");
        try
        {
            // Running activities finish and report; the host's shutdown timeout (HostOptions.ShutdownTimeout) bounds it.
            await WhenStopped(_workers).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Beyond the timeout activities are cancelled and their results not recorded: they run again on the next
            // start (at least once). Ones that ignore cancellation are abandoned.
            _logger.LogWarning("Durable engine shutdown timeout reached with activities still running; they are cancelled and run again on the next start.");
            await _abort!.CancelAsync();
        }

        // The dispatcher commits everything queued (the last results included), then sees the inbox end.
        _inbox.Writer.TryComplete();
        await WhenStopped([_dispatcher, _timerLoop]);
        while (_inbox.Reader.TryRead(out var message))
        {
            (message as CommandMessage)?.Done.TrySetException(NotRunning());
        }
    }

    /// <summary>Queues a client command and completes once it is committed (or refused).</summary>
    internal async Task<bool> SendAsync(CommandMessage command, CancellationToken cancellationToken)
    {
        if (!_running || _fault is not null || !_inbox.Writer.TryWrite(command))
        {
            throw NotRunning();
        }

        return await command.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Completed with the instance's final row once a batch that finished it has committed.</summary>
    internal TaskCompletionSource<InstanceRecord> RegisterCompletionWaiter(string instanceId)
    {
        var waiter = new TaskCompletionSource<InstanceRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_completionWaiters)
        {
            if (!_completionWaiters.TryGetValue(instanceId, out var waiters))
            {
                waiters = [];
                _completionWaiters.Add(instanceId, waiters);
            }

            waiters.Add(waiter);
        }

        return waiter;
    }

    internal void UnregisterCompletionWaiter(string instanceId, TaskCompletionSource<InstanceRecord> waiter)
    {
        lock (_completionWaiters)
        {
            if (_completionWaiters.TryGetValue(instanceId, out var waiters) && waiters.Remove(waiter) && waiters.Count == 0)
            {
                _completionWaiters.Remove(instanceId);
            }
        }
    }

    private void SignalFinished(InstanceRecord record)
    {
        List<TaskCompletionSource<InstanceRecord>>? waiters;
        lock (_completionWaiters)
        {
            _completionWaiters.Remove(record.InstanceId, out waiters);
        }

        foreach (var waiter in waiters ?? [])
        {
            waiter.TrySetResult(record);
        }
    }

    private DurableStoreUnavailableException NotRunning() => new(
        DurableStoreFailure.Stopped,
        _fault is null
            ? "The durable engine is not running (the host is starting or stopping)."
            : "The durable engine has stopped working after an internal error; see the host's log.",
        TimeSpan.FromSeconds(5),
        _fault);

    /// <summary>Runs one of the engine's loops; anything but the expected cancellation ending it is logged and kept for health.</summary>
    private async Task GuardAsync(string loop, Func<Task> run, CancellationToken expected)
    {
        try
        {
            await run();
        }
        catch (OperationCanceledException) when (expected.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            _fault ??= ex;
            _logger.LogCritical(ex, "Durable engine {Loop} ended with an error; the engine no longer makes progress and reports Unhealthy until restarted.", loop);
            throw;
        }
    }

    private static async Task WhenStopped(Task[] loops)
    {
        try
        {
            await Task.WhenAll(loops);
        }
        catch (Exception)
        {
            // Cancellation is the expected way out of every loop; any other end was logged by GuardAsync.
        }
    }

    private async Task DispatchAsync(CancellationToken stopping)
    {
        var messages = new List<EngineMessage>(_options.MaxBatchSize);
        while (await _inbox.Reader.WaitToReadAsync(stopping))
        {
            messages.Clear();
            while (messages.Count < _options.MaxBatchSize && _inbox.Reader.TryRead(out var message))
            {
                if (message is StoreCommand store)
                {
                    RunOutsideBatch(store);
                }
                else
                {
                    messages.Add(message);
                }
            }

            if (messages.Count == 0)
            {
                continue;
            }

            try
            {
                ProcessBatch(messages);
            }
            catch (Exception ex)
            {
                // The loop ends (GuardAsync logs it): nobody may wait for an answer that will never come.
                _fault ??= ex;
                _inbox.Writer.TryComplete();
                var unanswered = new List<EngineMessage>(messages);
                while (_inbox.Reader.TryRead(out var queued))
                {
                    unanswered.Add(queued);
                }

                foreach (var message in unanswered)
                {
                    (message as CommandMessage)?.Done.TrySetException(NotRunning());
                }

                throw;
            }
        }
    }

    /// <summary>Connection settings (PRAGMAs) cannot be changed inside a batch's transaction, so they run between batches.</summary>
    private void RunOutsideBatch(StoreCommand command)
    {
        try
        {
            command.Run(_store!);
            command.Done.TrySetResult(true);
        }
        catch (Exception ex)
        {
            command.Done.TrySetException(ex);
        }
    }

    /// <summary>Takes work until the engine stops accepting; an activity already running keeps going until <paramref name="abort"/>.</summary>
    private async Task RunActivitiesAsync(CancellationToken accepting, CancellationToken abort)
    {
        await foreach (var item in _work.Reader.ReadAllAsync(accepting))
        {
            if (await ExecuteActivityAsync(item, abort) is { } result)
            {
                _inbox.Writer.TryWrite(result);
            }
        }
    }

    private async Task<ActivityResult?> ExecuteActivityAsync(ActivityWorkItem item, CancellationToken stopping)
    {
        if (!_activities.TryGetValue(item.Name, out var registration))
        {
            return Failed(new UnknownTaskException("activity", item.Name));
        }

        // Activity.Current for the activity's code, so its HttpClient calls become children of this span.
        using var span = DurableTelemetry.Start("activity", registration.Name, item.InstanceId, item.ExecutionId, item.TraceParent, item.TaskId);
        try
        {
            await using var scope = _services.CreateAsyncScope();
            var activity = (IActivity)scope.ServiceProvider.GetRequiredService(registration.Type);
            var output = await activity.RunAsync(new ActivityContext(registration.Name, item.InstanceId, stopping), Json.Deserialize(item.Input, activity.InputType));
            return new ActivityResult(item.InstanceId, item.ExecutionId, item.TaskId, Json.Serialize(output, "output"), null);
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            // Cancelled at the shutdown timeout: no result is recorded, so the work item runs again on the next start.
            return null;
        }
        catch (Exception ex)
        {
            DurableTelemetry.Fail(span, ex);
            return Failed(ex);
        }

        ActivityResult Failed(Exception ex) => new(item.InstanceId, item.ExecutionId, item.TaskId, null, FailureDetails.FromException(ex));
    }

    /// <summary>An instance as the dispatcher knows it; <see cref="Runtime"/> is null once it has finished.</summary>
    private sealed class Entry(InstanceRecord record)
    {
        public InstanceRecord Record { get; } = record;

        public OrchestrationRuntime? Runtime { get; set; }

        public long LastUsed { get; set; }
    }
}
