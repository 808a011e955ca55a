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
/// </summary>
internal sealed partial class SqliteDurableEngine : IHostedService, IAsyncDisposable
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
    private CancellationTokenSource? _stopping;
    private Task[] _coreLoops = [];
    private Task[] _workers = [];
    private long _useClock;
    private volatile bool _running;

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
            _store = new SqliteStore(_options.DatabasePath);
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

        _stopping = new CancellationTokenSource();
        var stopping = _stopping.Token;
        _coreLoops = [Task.Run(() => DispatchAsync(stopping), CancellationToken.None), Task.Run(() => _timers.RunAsync(stopping), CancellationToken.None)];
        _workers = Enumerable.Range(0, _options.MaxConcurrentActivities)
            .Select(_ => Task.Run(() => RunActivitiesAsync(stopping), CancellationToken.None))
            .ToArray();
        _running = true;
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_running)
        {
            return;
        }

        _running = false;
        await _stopping!.CancelAsync();
        await WhenStopped(_coreLoops);
        try
        {
            // Activities that ignore cancellation are abandoned at the host's shutdown timeout; they run again later.
            await WhenStopped(_workers).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            _logger.LogWarning("Durable engine stopped with activities still running; they will run again on the next start.");
        }

        _inbox.Writer.TryComplete();
        while (_inbox.Reader.TryRead(out var message))
        {
            (message as CommandMessage)?.Done.TrySetException(NotRunning());
        }

        _store!.Dispose();
        _lock!.Dispose();
        _stopping.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    /// <summary>Queues a client command and completes once it is committed (or refused).</summary>
    internal async Task<bool> SendAsync(CommandMessage command, CancellationToken cancellationToken)
    {
        if (!_running || !_inbox.Writer.TryWrite(command))
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

    private static InvalidOperationException NotRunning() => new("The durable engine is not running (the host has not started or has stopped).");

    private static async Task WhenStopped(Task[] loops)
    {
        try
        {
            await Task.WhenAll(loops);
        }
        catch (OperationCanceledException)
        {
            // The expected way out of every loop.
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
                messages.Add(message);
            }

            ProcessBatch(messages);
        }
    }

    private async Task RunActivitiesAsync(CancellationToken stopping)
    {
        await foreach (var item in _work.Reader.ReadAllAsync(stopping))
        {
            if (await ExecuteActivityAsync(item, stopping) is { } result)
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

        try
        {
            await using var scope = _services.CreateAsyncScope();
            var activity = (IActivity)scope.ServiceProvider.GetRequiredService(registration.Type);
            var output = await activity.RunAsync(new ActivityContext(registration.Name, item.InstanceId, stopping), Json.Deserialize(item.Input, activity.InputType));
            return new ActivityResult(item.InstanceId, item.ExecutionId, item.TaskId, Json.Serialize(output, "output"), null);
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            // Shutting down: no result is recorded, so the work item runs again on the next start (at least once).
            return null;
        }
        catch (Exception ex)
        {
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
