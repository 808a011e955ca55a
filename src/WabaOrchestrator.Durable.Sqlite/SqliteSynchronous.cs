namespace WabaOrchestrator.Durable.Sqlite;

/// <summary>
/// How hard a commit waits for the disk (SQLite's <c>PRAGMA synchronous</c> in WAL mode). Both survive a killed
/// process; they differ on an OS crash or power cut.
/// </summary>
public enum SqliteSynchronous
{
    /// <summary>
    /// Every commit fsyncs the WAL before it is acknowledged, so acknowledged work survives an OS crash or power cut.
    /// The engine commits a whole batch in one transaction, so one fsync covers every message of the batch.
    /// </summary>
    Full,

    /// <summary>
    /// Commits reach the OS cache only; the WAL is fsynced at checkpoints. A power cut or OS crash can lose the last
    /// acknowledged commits (never corrupt the file). The opt-in for throughput.
    /// </summary>
    Normal,
}

public static class SqliteSynchronousExtensions
{
    /// <summary>The statement that applies <paramref name="level"/> to a connection (it is a per-connection setting).</summary>
    public static string ToPragma(this SqliteSynchronous level) => level switch
    {
        SqliteSynchronous.Full => "PRAGMA synchronous=FULL;",
        SqliteSynchronous.Normal => "PRAGMA synchronous=NORMAL;",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Durable:Synchronous must be Full or Normal."),
    };
}
