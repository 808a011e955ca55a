namespace WabaOrchestrator.Durable.Sqlite;

/// <summary>
/// Single owner of a database: an exclusive lock on <c>{database}.lock</c> (flock on Unix, a share lock on Windows),
/// held while the engine runs and released by the OS when the process dies, so a crash never leaves it stuck.
/// </summary>
internal sealed class DatabaseLock : IDisposable
{
    private readonly FileStream _file;

    private DatabaseLock(FileStream file) => _file = file;

    public static DatabaseLock Acquire(string databasePath)
    {
        var lockPath = Path.GetFullPath(databasePath) + ".lock";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
            return new DatabaseLock(new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException(
                $"The durable database '{databasePath}' is already in use by another engine (process or host): '{lockPath}' is locked. Only one engine may own a database file.",
                ex);
        }
    }

    public void Dispose() => _file.Dispose();
}
