using Microsoft.Data.Sqlite;
using WabaOrchestrator.Api.Webhooks;
using WabaOrchestrator.Durable.Sqlite;

namespace WabaOrchestrator.Local.Webhooks;

/// <summary>
/// Used webhook tokens in the engine's own database file (<c>durable.db</c>), in a table of their own and on
/// connections of their own: WAL lets them write beside the engine, whose lock file only keeps a second engine out. So
/// a token survives a restart, and every process pointed at the data directory shares it. One row per token hash,
/// claimed in a single immediate transaction (SQLite serializes writers, so two racers on one token: one wins); rows
/// past their expiry are taken over by a new use and deleted at most once a minute. Its connections commit with the
/// engine's <c>Durable:Synchronous</c>: they append to the same WAL, so a level of their own would either fsync the
/// engine's NORMAL commits anyway or leave a claim acknowledged to Vonage to be lost in a power cut (a replay then
/// accepted) while the engine's work survives.
/// </summary>
public sealed class SqliteWebhookTokenStore : IWebhookTokenStore
{
    private static readonly TimeSpan CleanupEvery = TimeSpan.FromMinutes(1);

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly string _synchronous;
    private readonly Lock _gate = new();
    private DateTimeOffset _nextCleanup;
    private bool _created;

    public SqliteWebhookTokenStore(string databasePath, TimeProvider time, SqliteSynchronous synchronous = SqliteSynchronous.Full)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // Seconds a statement waits for the engine's write transaction before failing (Vonage retries then).
            DefaultTimeout = 30,
        }.ToString();
        _time = time;
        _synchronous = synchronous.ToPragma();
    }

    public async Task<bool> TryUseAsync(string tokenHash, string bindingHash, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        await using var connection = await OpenAsync(cancellationToken);
        // Immediate: the write lock is taken up front, so the claim and its read-back see no other writer in between.
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var claim = connection.CreateCommand();
        claim.Transaction = transaction;
        claim.CommandText = """
            INSERT INTO webhook_tokens (token_hash, binding_hash, expires_at) VALUES ($token, $binding, $expires)
            ON CONFLICT (token_hash) DO UPDATE SET binding_hash = excluded.binding_hash, expires_at = excluded.expires_at
            WHERE webhook_tokens.expires_at <= $now;
            SELECT binding_hash FROM webhook_tokens WHERE token_hash = $token;
            """;
        claim.Parameters.AddWithValue("$token", tokenHash);
        claim.Parameters.AddWithValue("$binding", bindingHash);
        claim.Parameters.AddWithValue("$expires", expiresAt.ToUnixTimeMilliseconds());
        claim.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        var bound = (string?)await claim.ExecuteScalarAsync(cancellationToken);

        if (TakeCleanupTurn(now))
        {
            await using var cleanup = connection.CreateCommand();
            cleanup.Transaction = transaction;
            cleanup.CommandText = "DELETE FROM webhook_tokens WHERE expires_at <= $now";
            cleanup.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            await cleanup.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return string.Equals(bound, bindingHash, StringComparison.Ordinal);
    }

    /// <summary>Rows still in the table (expired ones included until the next clean-up); for tests and diagnostics.</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM webhook_tokens";
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>SQLite's <c>PRAGMA synchronous</c> on a connection as this store writes with it: 2 FULL, 1 NORMAL (tests).</summary>
    internal async Task<long> SynchronousAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var read = connection.CreateCommand();
        read.CommandText = "PRAGMA synchronous";
        return (long)(await read.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Milliseconds SQLite itself waits for the engine's commit before reporting busy (tests).</summary>
    internal async Task<long> BusyTimeoutAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var read = connection.CreateCommand();
        read.CommandText = "PRAGMA busy_timeout";
        return (long)(await read.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);

            // Per connection, and a pooled one may come from the engine's client reads: set it on every open. The busy
            // timeout lets SQLite wait out the engine's commit (an fsync with Full) in short native steps; without it
            // Microsoft.Data.Sqlite retries a busy BEGIN IMMEDIATE only after sleeping 150 ms.
            await using (var level = connection.CreateCommand())
            {
                level.CommandText = _synchronous + " PRAGMA busy_timeout=30000;";
                await level.ExecuteNonQueryAsync(cancellationToken);
            }

            if (!Volatile.Read(ref _created))
            {
                await using var create = connection.CreateCommand();
                create.CommandText = """
                    CREATE TABLE IF NOT EXISTS webhook_tokens (
                        token_hash TEXT NOT NULL PRIMARY KEY,
                        binding_hash TEXT NOT NULL,
                        expires_at INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX IF NOT EXISTS webhook_tokens_expiry ON webhook_tokens (expires_at);
                    """;
                await create.ExecuteNonQueryAsync(cancellationToken);
                Volatile.Write(ref _created, true);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private bool TakeCleanupTurn(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (now < _nextCleanup)
            {
                return false;
            }

            _nextCleanup = now + CleanupEvery;
            return true;
        }
    }
}
