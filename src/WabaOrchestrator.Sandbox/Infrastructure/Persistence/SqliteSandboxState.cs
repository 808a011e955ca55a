using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace WabaOrchestrator.Sandbox.Infrastructure.Persistence;

/// <summary>
/// The sandbox's state in one SQLite file, <c>&lt;data directory&gt;/sandbox.db</c>: a table of JSON documents keyed by
/// kind and key, each store writing the whole record it changed. Chosen over a JSON snapshot per change because a
/// transaction makes several writes (a deployment and the SMS its new code queues) atomic and SQLite already makes
/// every commit crash-safe, where snapshots would need write-rename-fsync for each and still could not group writes.
/// WAL with synchronous=NORMAL: a committed transaction survives the process being killed (the OS holds the WAL
/// pages); only a power cut may lose the last commits, which the sandbox does not need to survive. One connection,
/// writes serialized by a lock: the sandbox's write rate is that of a human-scale API.
/// </summary>
internal sealed class SqliteSandboxState : ISandboxState, IDisposable
{
    public const string FileName = "sandbox.db";

    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _put;
    private readonly SqliteCommand _remove;
    private bool _disposed;

    public SqliteSandboxState(string directory)
    {
        var full = Path.GetFullPath(directory);
        CreateOwnerOnly(full);
        FilePath = Path.Combine(full, FileName);
        if (!File.Exists(FilePath) && !OperatingSystem.IsWindows())
        {
            // Codes sent by the sandbox are in here: owner-only, like the rest of a data directory (-wal and -shm inherit it).
            using var created = new FileStream(FilePath, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }

        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = false }.ToString());
        _connection.Open();
        Execute("""
            PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;
            CREATE TABLE IF NOT EXISTS state (kind TEXT NOT NULL, key TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID;
            """);
        _put = Prepare("INSERT INTO state (kind, key, json) VALUES ($kind, $key, $json) ON CONFLICT (kind, key) DO UPDATE SET json = excluded.json", "$kind", "$key", "$json");
        _remove = Prepare("DELETE FROM state WHERE kind = $kind AND key = $key", "$kind", "$key");
    }

    public string FilePath { get; }

    public bool IsDurable => true;

    public void Write(params ReadOnlySpan<StateWrite> writes)
    {
        if (writes.Length == 0)
        {
            return;
        }

        lock (_gate)
        {
            // Only background work still finishing while the host stops gets here: no answer depends on it any more.
            if (_disposed)
            {
                return;
            }

            using var transaction = _connection.BeginTransaction();
            foreach (var write in writes)
            {
                var command = write.Json is null ? _remove : _put;
                command.Transaction = transaction;
                command.Parameters[0].Value = write.Kind;
                command.Parameters[1].Value = write.Key;
                if (write.Json is not null)
                {
                    command.Parameters[2].Value = write.Json;
                }

                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    public IReadOnlyList<(string Key, T Value)> Load<T>(string kind)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT key, json FROM state WHERE kind = $kind ORDER BY key";
            command.Parameters.AddWithValue("$kind", kind);
            using var reader = command.ExecuteReader();
            var records = new List<(string, T)>();
            while (reader.Read())
            {
                records.Add((reader.GetString(0), JsonSerializer.Deserialize<T>(reader.GetString(1), StateWrite.Options)!));
            }

            return records;
        }
    }

    public void Clear(string kind)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            using var command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM state WHERE kind = $kind";
            command.Parameters.AddWithValue("$kind", kind);
            command.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _put.Dispose();
            _remove.Dispose();
            _connection.Dispose();
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
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static void CreateOwnerOnly(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
