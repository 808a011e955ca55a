using Microsoft.Data.Sqlite;

namespace WabaOrchestrator.Durable.Sqlite;

/// <summary>SQLite's errors in the durable API's terms, so no caller has to know SQLite.</summary>
internal static class StoreErrors
{
    // Primary result codes (https://sqlite.org/rescode.html); extended codes carry them in the low byte.
    private const int Busy = 5;
    private const int Locked = 6;
    private const int Corrupt = 11;
    private const int Full = 13;
    private const int NotADatabase = 26;

    public static DurableStoreFailure Classify(SqliteException error) => (error.SqliteErrorCode & 0xFF) switch
    {
        Full => DurableStoreFailure.Full,
        Busy or Locked => DurableStoreFailure.Busy,
        Corrupt or NotADatabase => DurableStoreFailure.Corrupt,
        _ => DurableStoreFailure.Unavailable,
    };

    public static DurableStoreUnavailableException Translate(SqliteException error, TimeSpan retryAfter)
    {
        var reason = Classify(error);
        var what = reason switch
        {
            DurableStoreFailure.Full => "the disk or the database's size limit is full",
            DurableStoreFailure.Busy => "the database is locked",
            DurableStoreFailure.Corrupt => "the database file is damaged",
            _ => "the database cannot be written or read",
        };
        return new DurableStoreUnavailableException(reason, $"The durable store is unavailable: {what} (SQLite error {error.SqliteErrorCode}).", retryAfter, error);
    }

    /// <summary>Runs a read on the client's side and translates a SQLite failure.</summary>
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (SqliteException ex)
        {
            throw Translate(ex, TimeSpan.FromSeconds(1));
        }
    }
}
