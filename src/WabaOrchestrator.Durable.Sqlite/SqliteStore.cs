using Microsoft.Data.Sqlite;

namespace WabaOrchestrator.Durable.Sqlite;

/// <summary>
/// The engine's one writing connection. The dispatcher opens a transaction per batch, writes through these prepared
/// statements (reads inside the batch see its own writes) and commits once. WAL with synchronous=NORMAL: a commit is
/// durable against a killed process (the WAL is in the OS cache); only an OS crash or power cut can lose the last
/// commits, never corrupt the file.
/// </summary>
internal sealed class SqliteStore : IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS instances (
            instance_id   TEXT    NOT NULL PRIMARY KEY,
            name          TEXT    NOT NULL,
            execution_id  TEXT    NOT NULL,
            status        INTEGER NOT NULL,
            created_at    INTEGER NOT NULL,
            updated_at    INTEGER NOT NULL,
            input         TEXT,
            output        TEXT,
            custom_status TEXT,
            failure       TEXT
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_instances_created ON instances (created_at DESC, instance_id DESC);
        CREATE TABLE IF NOT EXISTS history (
            instance_id TEXT    NOT NULL,
            seq         INTEGER NOT NULL,
            kind        INTEGER NOT NULL,
            task_id     INTEGER NOT NULL,
            name        TEXT,
            data        TEXT,
            timestamp   INTEGER NOT NULL,
            PRIMARY KEY (instance_id, seq)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS activity_work (
            instance_id  TEXT    NOT NULL,
            task_id      INTEGER NOT NULL,
            execution_id TEXT    NOT NULL,
            name         TEXT    NOT NULL,
            input        TEXT,
            PRIMARY KEY (instance_id, task_id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS timers (
            instance_id  TEXT    NOT NULL,
            task_id      INTEGER NOT NULL,
            execution_id TEXT    NOT NULL,
            due_at       INTEGER NOT NULL,
            PRIMARY KEY (instance_id, task_id)
        ) WITHOUT ROWID;
        """;

    internal const string InstanceColumns = "instance_id, name, execution_id, status, created_at, updated_at, input, output, custom_status, failure";

    private readonly SqliteConnection _connection;
    private const int HistoryRowsPerInsert = 64;
    private readonly Dictionary<int, SqliteCommand> _historyInserts = [];
    private readonly SqliteCommand _insertWork;
    private readonly SqliteCommand _deleteWork;
    private readonly SqliteCommand _insertTimer;
    private readonly SqliteCommand _deleteTimer;
    private readonly SqliteCommand _deleteLeftovers;
    private readonly SqliteCommand _deleteHistory;
    private readonly SqliteCommand _deleteInstance;
    private readonly SqliteCommand _upsertInstance;
    private readonly SqliteCommand _readInstance;
    private readonly SqliteCommand _readHistory;
    private SqliteTransaction? _transaction;

    public SqliteStore(string databasePath)
    {
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _connection = new SqliteConnection(ConnectionString);
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=OFF;");
        Execute(Schema);

        _insertWork = Prepare("INSERT OR REPLACE INTO activity_work (instance_id, task_id, execution_id, name, input) VALUES ($id, $task, $exec, $name, $input)",
            "$id", "$task", "$exec", "$name", "$input");
        _deleteWork = Prepare("DELETE FROM activity_work WHERE instance_id = $id AND task_id = $task AND execution_id = $exec", "$id", "$task", "$exec");
        _insertTimer = Prepare("INSERT OR REPLACE INTO timers (instance_id, task_id, execution_id, due_at) VALUES ($id, $task, $exec, $due)",
            "$id", "$task", "$exec", "$due");
        _deleteTimer = Prepare("DELETE FROM timers WHERE instance_id = $id AND task_id = $task AND execution_id = $exec", "$id", "$task", "$exec");
        _deleteLeftovers = Prepare("DELETE FROM activity_work WHERE instance_id = $id; DELETE FROM timers WHERE instance_id = $id", "$id");
        _deleteHistory = Prepare("DELETE FROM history WHERE instance_id = $id", "$id");
        _deleteInstance = Prepare("DELETE FROM instances WHERE instance_id = $id", "$id");
        _upsertInstance = Prepare(
            $"""
            INSERT INTO instances ({InstanceColumns}) VALUES ($id, $name, $exec, $status, $created, $updated, $input, $output, $custom, $failure)
            ON CONFLICT (instance_id) DO UPDATE SET name = excluded.name, execution_id = excluded.execution_id, status = excluded.status,
                created_at = excluded.created_at, updated_at = excluded.updated_at, input = excluded.input, output = excluded.output,
                custom_status = excluded.custom_status, failure = excluded.failure
            """,
            "$id", "$name", "$exec", "$status", "$created", "$updated", "$input", "$output", "$custom", "$failure");
        _readInstance = Prepare($"SELECT {InstanceColumns} FROM instances WHERE instance_id = $id", "$id");
        _readHistory = Prepare("SELECT kind, timestamp, task_id, name, data FROM history WHERE instance_id = $id ORDER BY seq", "$id");
    }

    /// <summary>For the client's read-only queries on pooled connections of their own (WAL lets them read while we write).</summary>
    public string ConnectionString { get; }

    public void Begin()
    {
        _transaction = _connection.BeginTransaction();
        foreach (var command in AllCommands())
        {
            command.Transaction = _transaction;
        }
    }

    public void Commit()
    {
        _transaction!.Commit();
        EndTransaction();
    }

    public void Rollback()
    {
        try
        {
            _transaction?.Rollback();
        }
        finally
        {
            EndTransaction();
        }
    }

    /// <summary>Inserts history rows many per statement: per-statement overhead, not SQLite, dominates small rows.</summary>
    public void AppendHistory(List<(string InstanceId, int Sequence, HistoryEvent Event)> rows)
    {
        for (var offset = 0; offset < rows.Count; offset += HistoryRowsPerInsert)
        {
            var count = Math.Min(HistoryRowsPerInsert, rows.Count - offset);
            var command = HistoryInsert(count);
            var parameters = command.Parameters;
            for (var i = 0; i < count; i++)
            {
                var (instanceId, sequence, e) = rows[offset + i];
                var p = i * 7;
                parameters[p].Value = instanceId;
                parameters[p + 1].Value = sequence;
                parameters[p + 2].Value = (int)e.Kind;
                parameters[p + 3].Value = e.TaskId;
                parameters[p + 4].Value = (object?)e.Name ?? DBNull.Value;
                parameters[p + 5].Value = (object?)e.Data ?? DBNull.Value;
                parameters[p + 6].Value = e.Timestamp.Ticks;
            }

            command.ExecuteNonQuery();
        }
    }

    public void InsertWork(ActivityWorkItem item) => Run(_insertWork, item.InstanceId, item.TaskId, item.ExecutionId, item.Name, item.Input);

    public void DeleteWork(string instanceId, int taskId, string executionId) => Run(_deleteWork, instanceId, taskId, executionId);

    public void InsertTimer(DurableTimer timer) => Run(_insertTimer, timer.InstanceId, timer.TaskId, timer.ExecutionId, timer.DueAt.Ticks);

    public void DeleteTimer(string instanceId, int taskId, string executionId) => Run(_deleteTimer, instanceId, taskId, executionId);

    /// <summary>Outstanding activities and timers of an execution that has ended: they will never be needed.</summary>
    public void DeleteLeftovers(string instanceId) => Run(_deleteLeftovers, instanceId);

    /// <summary>Everything of an instance: its history, leftovers and, unless <paramref name="keepRow"/>, its row.</summary>
    public void DeleteInstance(string instanceId, bool keepRow)
    {
        Run(_deleteLeftovers, instanceId);
        Run(_deleteHistory, instanceId);
        if (!keepRow)
        {
            Run(_deleteInstance, instanceId);
        }
    }

    public void SaveInstance(InstanceRecord r) => Run(_upsertInstance,
        r.InstanceId, r.Name, r.ExecutionId, (int)r.Status, r.CreatedAt.Ticks, r.UpdatedAt.Ticks, r.Input, r.Output, r.CustomStatus,
        r.Failure is null ? null : Json.SerializeFailure(r.Failure));

    public InstanceRecord? ReadInstance(string instanceId)
    {
        _readInstance.Parameters[0].Value = instanceId;
        using var reader = _readInstance.ExecuteReader();
        return reader.Read() ? ReadRecord(reader) : null;
    }

    public List<HistoryEvent> ReadHistory(string instanceId)
    {
        _readHistory.Parameters[0].Value = instanceId;
        using var reader = _readHistory.ExecuteReader();
        var history = new List<HistoryEvent>();
        while (reader.Read())
        {
            history.Add(new HistoryEvent(
                (HistoryEventKind)reader.GetInt32(0),
                new DateTime(reader.GetInt64(1), DateTimeKind.Utc),
                reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return history;
    }

    public List<ActivityWorkItem> LoadWork()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT instance_id, execution_id, task_id, name, input FROM activity_work";
        using var reader = command.ExecuteReader();
        var items = new List<ActivityWorkItem>();
        while (reader.Read())
        {
            items.Add(new ActivityWorkItem(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return items;
    }

    public List<DurableTimer> LoadTimers()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT instance_id, execution_id, task_id, due_at FROM timers";
        using var reader = command.ExecuteReader();
        var timers = new List<DurableTimer>();
        while (reader.Read())
        {
            timers.Add(new DurableTimer(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), new DateTime(reader.GetInt64(3), DateTimeKind.Utc)));
        }

        return timers;
    }

    /// <summary>Reads a row selected with <see cref="InstanceColumns"/>.</summary>
    internal static InstanceRecord ReadRecord(SqliteDataReader reader) => new()
    {
        InstanceId = reader.GetString(0),
        Name = reader.GetString(1),
        ExecutionId = reader.GetString(2),
        Status = (OrchestrationRuntimeStatus)reader.GetInt32(3),
        CreatedAt = new DateTime(reader.GetInt64(4), DateTimeKind.Utc),
        UpdatedAt = new DateTime(reader.GetInt64(5), DateTimeKind.Utc),
        Input = reader.IsDBNull(6) ? null : reader.GetString(6),
        Output = reader.IsDBNull(7) ? null : reader.GetString(7),
        CustomStatus = reader.IsDBNull(8) ? null : reader.GetString(8),
        Failure = reader.IsDBNull(9) ? null : Json.DeserializeFailure(reader.GetString(9)),
    };

    public void Dispose()
    {
        foreach (var command in AllCommands())
        {
            command.Dispose();
        }

        _transaction?.Dispose();
        _connection.Dispose();
        using var pooled = new SqliteConnection(ConnectionString);
        SqliteConnection.ClearPool(pooled);
    }

    private IEnumerable<SqliteCommand> AllCommands() =>
        _historyInserts.Values.Concat([_insertWork, _deleteWork, _insertTimer, _deleteTimer, _deleteLeftovers, _deleteHistory, _deleteInstance, _upsertInstance, _readInstance, _readHistory]);

    private SqliteCommand HistoryInsert(int rows)
    {
        if (!_historyInserts.TryGetValue(rows, out var command))
        {
            var values = string.Join(", ", Enumerable.Range(0, rows).Select(i => $"($id{i}, $seq{i}, $kind{i}, $task{i}, $name{i}, $data{i}, $ts{i})"));
            var names = Enumerable.Range(0, rows).SelectMany(i => new[] { $"$id{i}", $"$seq{i}", $"$kind{i}", $"$task{i}", $"$name{i}", $"$data{i}", $"$ts{i}" });
            command = Prepare($"INSERT INTO history (instance_id, seq, kind, task_id, name, data, timestamp) VALUES {values}", [.. names]);
            _historyInserts.Add(rows, command);
        }

        command.Transaction = _transaction;
        return command;
    }

    private void EndTransaction()
    {
        _transaction?.Dispose();
        _transaction = null;
        foreach (var command in AllCommands())
        {
            command.Transaction = null;
        }
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new SqliteParameter(parameter, null));
        }

        command.Prepare();
        return command;
    }

    private static void Run(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        command.ExecuteNonQuery();
    }
}
