namespace WabaOrchestrator.Durable.Sqlite.Tests.Infrastructure;

/// <summary>A SQLite path in a fresh temp directory; the directory (database, WAL, lock file) is deleted on dispose.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "waba-durable-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Path = System.IO.Path.Combine(Directory, "durable.db");
    }

    public string Directory { get; }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on some platform; the temp folder is cleaned by the OS eventually.
        }
    }
}
