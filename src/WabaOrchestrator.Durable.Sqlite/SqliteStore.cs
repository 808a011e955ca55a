using Microsoft.Data.Sqlite;

namespace WabaOrchestrator.Durable.Sqlite;

/// <summary>
/// The engine's one writing connection. The dispatcher opens a transaction per batch, writes through these prepared
/// statements (reads inside the batch see its own writes) and commits once. WAL with synchronous=FULL (default): a
/// commit is on disk before it is acknowledged, one fsync per batch. With NORMAL a commit survives a killed process
/// (the WAL is in the OS cache), but an OS crash or power cut can lose the last commits (never corrupt the file).
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
            failure       TEXT,
            trace_parent  TEXT
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
            trace_parent TEXT,
            PRIMARY KEY (instance_id, task_id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS timers (
            instance_id  TEXT    NOT NULL,
            task_id      INTEGER NOT NULL,
            execution_id TEXT    NOT NULL,
            due_at       INTEGER NOT NULL,
            PRIMARY KEY (instance_id, task_id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS health (
            id         INTEGER NOT NULL PRIMARY KEY,
            checked_at INTEGER NOT NULL
        );
        """;

    internal const string InstanceColumns = "instance_id, name, execution_id, status, created_at, updated_at, input, output, custom_status, failure, trace_parent";

    private readonly SqliteConnection _connection;
    private readonly RawStatement _appendHistory;
    private readonly RawStatement _insertWork;
    private readonly RawStatement _deleteWork;
    private readonly RawStatement _insertTimer;
    private readonly RawStatement _deleteTimer;
    private readonly RawStatement _upsertInstance;
    private readonly RawStatement _touchHealth;
    private readonly SqliteCommand _deleteLeftovers;
    private readonly SqliteCommand _deleteHistory;
    private readonly SqliteCommand _deleteInstance;
    private readonly SqliteCommand _readInstance;
    private readonly SqliteCommand _readHistory;
    private SqliteTransaction? _transaction;

    public SqliteStore(string databasePath, SqliteSynchronous synchronous = SqliteSynchronous.Full)
    {
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _connection = new SqliteConnection(ConnectionString);
        try
        {
            _connection.Open();
            CheckIntegrity(databasePath);
            // busy_timeout: a batch's BEGIN IMMEDIATE waits out another writer of the file (the webhook token store's
            // commit) in SQLite's short native steps instead of Microsoft.Data.Sqlite's 150 ms retry sleep.
            Execute("PRAGMA journal_mode=WAL; " + synchronous.ToPragma() + " PRAGMA foreign_keys=OFF; PRAGMA busy_timeout=30000;");
            Execute(Schema);
            AddColumnIfMissing("instances", "trace_parent");
            AddColumnIfMissing("activity_work", "trace_parent");
        }
        catch
        {
            // Out of the pool too: a pooled connection would keep the refused file open and be handed out again.
            _connection.Dispose();
            using var pooled = new SqliteConnection(ConnectionString);
            SqliteConnection.ClearPool(pooled);
            throw;
        }

        _touchHealth = new RawStatement(_connection, "INSERT INTO health (id, checked_at) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at");

        _appendHistory = new RawStatement(_connection, "INSERT INTO history (instance_id, seq, kind, task_id, name, data, timestamp) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        _insertWork = new RawStatement(_connection, "INSERT OR REPLACE INTO activity_work (instance_id, task_id, execution_id, name, input, trace_parent) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        _deleteWork = new RawStatement(_connection, "DELETE FROM activity_work WHERE instance_id = ?1 AND task_id = ?2 AND execution_id = ?3");
        _insertTimer = new RawStatement(_connection, "INSERT OR REPLACE INTO timers (instance_id, task_id, execution_id, due_at) VALUES (?1, ?2, ?3, ?4)");
        _deleteTimer = new RawStatement(_connection, "DELETE FROM timers WHERE instance_id = ?1 AND task_id = ?2 AND execution_id = ?3");
        _deleteLeftovers = Prepare("DELETE FROM activity_work WHERE instance_id = $id; DELETE FROM timers WHERE instance_id = $id", "$id");
        _deleteHistory = Prepare("DELETE FROM history WHERE instance_id = $id", "$id");
        _deleteInstance = Prepare("DELETE FROM instances WHERE instance_id = $id", "$id");
        _upsertInstance = new RawStatement(
            _connection,
            $"""
            INSERT INTO instances ({InstanceColumns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
            ON CONFLICT (instance_id) DO UPDATE SET name = excluded.name, execution_id = excluded.execution_id, status = excluded.status,
                created_at = excluded.created_at, updated_at = excluded.updated_at, input = excluded.input, output = excluded.output,
                custom_status = excluded.custom_status, failure = excluded.failure, trace_parent = excluded.trace_parent
            """);
        _readInstance = Prepare($"SELECT {InstanceColumns} FROM instances WHERE instance_id = $id", "$id");
        _readHistory = Prepare($"SELECT {HistoryColumns} FROM history WHERE instance_id = $id ORDER BY seq", "$id");
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

    public void AppendHistory(List<(string InstanceId, int Sequence, HistoryEvent Event)> rows)
    {
        foreach (var (instanceId, sequence, e) in rows)
        {
            _appendHistory.Bind(1, instanceId).Bind(2, sequence).Bind(3, (int)e.Kind).Bind(4, e.TaskId).Bind(5, e.Name).Bind(6, e.Data).Bind(7, e.Timestamp.Ticks).Execute();
        }
    }

    /// <summary>The health probe's write: one tiny row, committed like any batch, so health covers the write path.</summary>
    public void TouchHealth(DateTime now) => _touchHealth.Bind(1, now.Ticks).Execute();

    /// <summary>
    /// Caps the file at its current size, so the next write that needs a new page fails with SQLITE_FULL exactly as a
    /// full disk does (tests; runs on the dispatcher, the connection's only user).
    /// </summary>
    internal void CapAtCurrentSize() => Execute("PRAGMA max_page_count = " + Scalar("PRAGMA page_count"));

    internal void LiftSizeCap() => Execute("PRAGMA max_page_count = 4294967294");

    /// <summary>Every write fails with SQLITE_READONLY while on (tests: a store that refuses commits, on demand).</summary>
    internal void SetQueryOnly(bool on) => Execute(on ? "PRAGMA query_only = ON" : "PRAGMA query_only = OFF");

    /// <summary>SQLite's <c>PRAGMA synchronous</c> on the writing connection: 2 FULL, 1 NORMAL (tests, diagnostics).</summary>
    internal long Synchronous() => (long)Scalar("PRAGMA synchronous")!;

    /// <summary>Milliseconds SQLite itself waits for another writer of the file before reporting it busy (tests).</summary>
    internal long BusyTimeout() => (long)Scalar("PRAGMA busy_timeout")!;

    /// <summary>Closes the connection under the dispatcher (tests: a fault that is not a SqliteException).</summary>
    internal void BreakConnection() => _connection.Close();

    public void InsertWork(ActivityWorkItem item) =>
        _insertWork.Bind(1, item.InstanceId).Bind(2, item.TaskId).Bind(3, item.ExecutionId).Bind(4, item.Name).Bind(5, item.Input).Bind(6, item.TraceParent).Execute();

    public void DeleteWork(string instanceId, int taskId, string executionId) =>
        _deleteWork.Bind(1, instanceId).Bind(2, taskId).Bind(3, executionId).Execute();

    public void InsertTimer(DurableTimer timer) =>
        _insertTimer.Bind(1, timer.InstanceId).Bind(2, timer.TaskId).Bind(3, timer.ExecutionId).Bind(4, timer.DueAt.Ticks).Execute();

    public void DeleteTimer(string instanceId, int taskId, string executionId) =>
        _deleteTimer.Bind(1, instanceId).Bind(2, taskId).Bind(3, executionId).Execute();

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

    public void SaveInstance(InstanceRecord r) => _upsertInstance
        .Bind(1, r.InstanceId).Bind(2, r.Name).Bind(3, r.ExecutionId).Bind(4, (int)r.Status).Bind(5, r.CreatedAt.Ticks).Bind(6, r.UpdatedAt.Ticks)
        .Bind(7, r.Input).Bind(8, r.Output).Bind(9, r.CustomStatus).Bind(10, r.Failure is null ? null : Json.SerializeFailure(r.Failure)).Bind(11, r.TraceParent)
        .Execute();

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
            history.Add(ReadHistoryEvent(reader));
        }

        return history;
    }

    internal const string HistoryColumns = "kind, timestamp, task_id, name, data";

    /// <summary>One history row, selected as <see cref="HistoryColumns"/>.</summary>
    internal static HistoryEvent ReadHistoryEvent(SqliteDataReader reader) => new(
        (HistoryEventKind)reader.GetInt32(0),
        new DateTime(reader.GetInt64(1), DateTimeKind.Utc),
        reader.GetInt32(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4));

    public List<ActivityWorkItem> LoadWork()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT instance_id, execution_id, task_id, name, input, trace_parent FROM activity_work";
        using var reader = command.ExecuteReader();
        var items = new List<ActivityWorkItem>();
        while (reader.Read())
        {
            items.Add(new ActivityWorkItem(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
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
        TraceParent = reader.IsDBNull(10) ? null : reader.GetString(10),
    };

    public void Dispose()
    {
        foreach (var command in AllCommands())
        {
            command.Dispose();
        }

        foreach (var statement in (RawStatement[])[_appendHistory, _insertWork, _deleteWork, _insertTimer, _deleteTimer, _upsertInstance, _touchHealth])
        {
            statement.Dispose();
        }

        _transaction?.Dispose();
        _connection.Dispose();
        using var pooled = new SqliteConnection(ConnectionString);
        SqliteConnection.ClearPool(pooled);
    }

    private SqliteCommand[] AllCommands() => [_deleteLeftovers, _deleteHistory, _deleteInstance, _readInstance, _readHistory];

    private void EndTransaction()
    {
        _transaction?.Dispose();
        _transaction = null;
        foreach (var command in AllCommands())
        {
            command.Transaction = null;
        }
    }

    /// <summary>
    /// Refuses a damaged file at start: writing on top of damage spreads it, and the engine would otherwise fail every
    /// commit while looking alive. quick_check reads every page (O(size)), once per start.
    /// </summary>
    private void CheckIntegrity(string databasePath)
    {
        string result;
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "PRAGMA quick_check(5)";
            using var reader = command.ExecuteReader();
            var lines = new List<string>();
            while (reader.Read())
            {
                lines.Add(reader.GetString(0));
            }

            result = string.Join("; ", lines);
        }
        catch (SqliteException ex) when (StoreErrors.Classify(ex) == DurableStoreFailure.Corrupt)
        {
            throw Corrupt(databasePath, ex.Message, ex);
        }

        if (result != "ok")
        {
            throw Corrupt(databasePath, result, null);
        }
    }

    private static DurableStoreUnavailableException Corrupt(string databasePath, string finding, Exception? inner)
    {
        var file = Path.GetFullPath(databasePath);
        return new DurableStoreUnavailableException(
            DurableStoreFailure.Corrupt,
            $"""
            The durable database '{file}' is damaged (PRAGMA quick_check: {finding}); the engine refuses to start on it.
            To recover: stop the host; back up '{file}' together with '{file}-wal' and '{file}-shm' if present; then either
              salvage what can be read:  sqlite3 '{file}' ".recover" | sqlite3 '{file}.recovered'  and move '{file}.recovered' into place as '{file}' (delete the old -wal and -shm files),
              or move the file (and its -wal and -shm files) aside to start with an empty database; running instances are then lost.
            """,
            TimeSpan.Zero,
            inner);
    }

    private object? Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Databases written before a column existed get it (NULL in old rows), so an upgrade keeps their instances.</summary>
    private void AddColumnIfMissing(string table, string column)
    {
        if (Convert.ToInt64(Scalar($"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = '{column}'"), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            Execute($"ALTER TABLE {table} ADD COLUMN {column} TEXT");
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
