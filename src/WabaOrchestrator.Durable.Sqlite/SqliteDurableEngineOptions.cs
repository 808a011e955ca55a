namespace WabaOrchestrator.Durable.Sqlite;

/// <summary>Settings of the embedded engine; validated when the host starts.</summary>
public sealed class SqliteDurableEngineOptions
{
    /// <summary>The SQLite file. A lock file <c>{DatabasePath}.lock</c> next to it makes this engine its single owner.</summary>
    public string DatabasePath { get; set; } = "durable.db";

    /// <summary>Activities running at the same time (the bounded worker pool).</summary>
    public int MaxConcurrentActivities { get; set; } = 32;

    /// <summary>Running instances kept in memory between episodes; instances waiting on an event or timer are evicted first.</summary>
    public int MaxCachedInstances { get; set; } = 1_000;

    /// <summary>Most messages (starts, events, activity results, timer firings) committed in one transaction.</summary>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>
    /// Raised events an instance holds without a wait consuming them; further ones are dropped (logged and counted),
    /// so nobody who can raise events can grow an instance's history and memory without limit.
    /// </summary>
    public int MaxBufferedEvents { get; set; } = 100;

    /// <summary>
    /// <see cref="SqliteSynchronous.Full"/> (default): an acknowledged commit survives a power cut.
    /// <see cref="SqliteSynchronous.Normal"/>: faster, but an OS crash or power cut can lose the last commits.
    /// </summary>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(DatabasePath))
        {
            throw new InvalidOperationException($"{nameof(SqliteDurableEngineOptions)}.{nameof(DatabasePath)} is required.");
        }

        Require(MaxConcurrentActivities, nameof(MaxConcurrentActivities));
        Require(MaxCachedInstances, nameof(MaxCachedInstances));
        Require(MaxBatchSize, nameof(MaxBatchSize));
        Require(MaxBufferedEvents, nameof(MaxBufferedEvents));

        // Configuration binds any number into an enum ("Durable:Synchronous=7"); only the two named levels mean something.
        if (!Enum.IsDefined(Synchronous))
        {
            throw new InvalidOperationException(
                $"{nameof(SqliteDurableEngineOptions)}.{nameof(Synchronous)} (Durable:Synchronous) must be {nameof(SqliteSynchronous.Full)} or {nameof(SqliteSynchronous.Normal)} (was {Synchronous}).");
        }
    }

    private static void Require(int value, string name)
    {
        if (value < 1)
        {
            throw new InvalidOperationException($"{nameof(SqliteDurableEngineOptions)}.{name} must be at least 1 (was {value}).");
        }
    }
}
