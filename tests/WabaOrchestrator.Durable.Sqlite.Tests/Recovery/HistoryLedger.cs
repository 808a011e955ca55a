using Microsoft.Data.Sqlite;

namespace WabaOrchestrator.Durable.Sqlite.Tests.Recovery;

/// <summary>
/// Reads the engine's tables straight from the file once no engine owns it, to check what was recorded, not what the
/// client reports.
/// </summary>
internal sealed class HistoryLedger
{
    private readonly Dictionary<string, List<(HistoryEventKind Kind, int TaskId)>> _history;
    private readonly long _leftoverWork;
    private readonly long _leftoverTimers;

    private HistoryLedger(Dictionary<string, List<(HistoryEventKind, int)>> history, long leftoverWork, long leftoverTimers)
    {
        _history = history;
        _leftoverWork = leftoverWork;
        _leftoverTimers = leftoverTimers;
    }

    public int ScheduledActivities => _history.Values.Sum(h => h.Count(e => e.Kind == HistoryEventKind.ActivityScheduled));

    public static HistoryLedger Read(string databasePath)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();

        var history = new Dictionary<string, List<(HistoryEventKind, int)>>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT instance_id, kind, task_id FROM history ORDER BY instance_id, seq";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var id = reader.GetString(0);
                if (!history.TryGetValue(id, out var events))
                {
                    history[id] = events = [];
                }

                events.Add(((HistoryEventKind)reader.GetInt32(1), reader.GetInt32(2)));
            }
        }

        return new HistoryLedger(history, Count(connection, "activity_work"), Count(connection, "timers"));
    }

    /// <summary>
    /// At-least-once execution, exactly-once recording: every scheduled activity has exactly one result (completed or
    /// failed), no result lacks its scheduling, no timer fired twice (a cancelled one never), each instance finished
    /// once, and no work item or timer row outlives its instance.
    /// </summary>
    public void AssertEveryActivityResultRecordedOnce(int expectedInstances)
    {
        Assert.Equal(expectedInstances, _history.Count);
        foreach (var (id, events) in _history)
        {
            AssertOnePerTask(id, events, [HistoryEventKind.ActivityScheduled], [HistoryEventKind.ActivityCompleted, HistoryEventKind.ActivityFailed]);
            AssertTimersFireAtMostOnce(id, events);
            Assert.True(
                events.Count(e => e.Kind == HistoryEventKind.ExecutionStarted) == 1 && events.Count(e => e.Kind == HistoryEventKind.ExecutionCompleted) == 1,
                $"{id} should have started and completed once: {Describe(events)}");
        }

        Assert.True(_leftoverWork == 0, $"{_leftoverWork} activity work items are left behind after every instance finished.");
        Assert.True(_leftoverTimers == 0, $"{_leftoverTimers} timers are left behind after every instance finished.");
    }

    private static void AssertOnePerTask(string id, List<(HistoryEventKind Kind, int TaskId)> events, HistoryEventKind[] scheduling, HistoryEventKind[] outcomes)
    {
        var scheduled = events.Where(e => scheduling.Contains(e.Kind)).Select(e => e.TaskId).ToList();
        var outcome = events.Where(e => outcomes.Contains(e.Kind)).Select(e => e.TaskId).ToList();
        Assert.True(scheduled.Count == scheduled.Distinct().Count(), $"{id} scheduled a task id twice: {Describe(events)}");
        Assert.True(outcome.Count == outcome.Distinct().Count(), $"{id} recorded a result twice: {Describe(events)}");
        Assert.True(scheduled.Order().SequenceEqual(outcome.Order()), $"{id} has scheduled tasks [{string.Join(',', scheduled)}] but results for [{string.Join(',', outcome)}]: {Describe(events)}");
    }

    private static void AssertTimersFireAtMostOnce(string id, List<(HistoryEventKind Kind, int TaskId)> events)
    {
        var created = events.Where(e => e.Kind == HistoryEventKind.TimerCreated).Select(e => e.TaskId).ToHashSet();
        var fired = events.Where(e => e.Kind == HistoryEventKind.TimerFired).Select(e => e.TaskId).ToList();
        Assert.True(fired.Count == fired.Distinct().Count(), $"{id} recorded a timer firing twice: {Describe(events)}");
        Assert.True(fired.All(created.Contains), $"{id} has a timer firing without its timer: {Describe(events)}");
    }

    private static string Describe(List<(HistoryEventKind Kind, int TaskId)> events) =>
        string.Join(", ", events.Select(e => e.TaskId >= 0 ? $"{e.Kind}#{e.TaskId}" : e.Kind.ToString()));

    private static long Count(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }
}
