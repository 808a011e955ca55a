using System.Collections.Concurrent;

namespace WabaOrchestrator.Durable.Sqlite.Tests.Workflows;

/// <summary>Counts how often each activity really ran (registered as a singleton, bumped by the activities).</summary>
public sealed class RunCounter
{
    private readonly ConcurrentDictionary<string, int> _runs = new();

    public int this[string key] => _runs.GetValueOrDefault(key);

    public int Increment(string key) => _runs.AddOrUpdate(key, 1, (_, n) => n + 1);
}
