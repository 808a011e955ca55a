using System.Threading.Channels;

namespace WabaOrchestrator.Durable.Sqlite;

/// <summary>
/// The one loop that fires durable timers: it sleeps on the injected <see cref="TimeProvider"/> until the earliest
/// due time and is woken early when an earlier timer is added. Firing only posts a message; the dispatcher records
/// TimerFired and deletes the row in one transaction, so a crash in between just fires the timer again.
/// </summary>
internal sealed class TimerScheduler(TimeProvider time, Action<DurableTimer> fire)
{
    private static readonly TimeSpan MaxSleep = TimeSpan.FromDays(1);
    private static readonly TimeSpan ArmingTolerance = TimeSpan.FromMilliseconds(10);
    private readonly Lock _gate = new();
    private readonly SortedSet<DurableTimer> _byDueTime = new(DueTimeComparer.Instance);
    private readonly Dictionary<(string InstanceId, int TaskId), DurableTimer> _byTask = [];
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byTask.Count;
            }
        }
    }

    public void Add(DurableTimer timer)
    {
        bool earliest;
        lock (_gate)
        {
            if (_byTask.Remove((timer.InstanceId, timer.TaskId), out var previous))
            {
                _byDueTime.Remove(previous);
            }

            _byTask.Add((timer.InstanceId, timer.TaskId), timer);
            _byDueTime.Add(timer);
            earliest = ReferenceEquals(_byDueTime.Min, timer);
        }

        if (earliest)
        {
            _wake.Writer.TryWrite(true);
        }
    }

    public void Remove(string instanceId, int taskId)
    {
        lock (_gate)
        {
            if (_byTask.Remove((instanceId, taskId), out var timer))
            {
                _byDueTime.Remove(timer);
            }
        }
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            DateTime? next;
            lock (_gate)
            {
                next = _byDueTime.Count == 0 ? null : _byDueTime.Min!.DueAt;
            }

            var now = time.GetUtcNow().UtcDateTime;
            if (next is { } due && due <= now)
            {
                FireDue(now);
                continue;
            }

            using var sleep = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            // Timers cannot sleep past ~49 days; a far timer is simply looked at again after a day.
            var delay = next is { } at
                ? Task.Delay(at - now < MaxSleep ? at - now : MaxSleep, time, sleep.Token)
                : Task.Delay(Timeout.InfiniteTimeSpan, time, sleep.Token);

            // The delay is relative to the clock when it was armed. If the clock moved while arming (a test advancing
            // time), the sleep would overshoot by that much, so look again; real clocks move less than the tolerance.
            if (next is not null && time.GetUtcNow().UtcDateTime - now > ArmingTolerance)
            {
                await sleep.CancelAsync();
                continue;
            }

            var woken = _wake.Reader.WaitToReadAsync(sleep.Token).AsTask();
            await Task.WhenAny(delay, woken);
            await sleep.CancelAsync();
            _wake.Reader.TryRead(out _);
            await Task.WhenAll(delay, woken).ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    private void FireDue(DateTime now)
    {
        List<DurableTimer> due = [];
        lock (_gate)
        {
            while (_byDueTime.Count > 0 && _byDueTime.Min!.DueAt <= now)
            {
                var timer = _byDueTime.Min;
                _byDueTime.Remove(timer);
                _byTask.Remove((timer.InstanceId, timer.TaskId));
                due.Add(timer);
            }
        }

        foreach (var timer in due)
        {
            fire(timer);
        }
    }

    private sealed class DueTimeComparer : IComparer<DurableTimer>
    {
        public static readonly DueTimeComparer Instance = new();

        public int Compare(DurableTimer? x, DurableTimer? y)
        {
            var byTime = x!.DueAt.CompareTo(y!.DueAt);
            if (byTime != 0)
            {
                return byTime;
            }

            var byInstance = string.CompareOrdinal(x.InstanceId, y.InstanceId);
            return byInstance != 0 ? byInstance : x.TaskId.CompareTo(y.TaskId);
        }
    }
}
