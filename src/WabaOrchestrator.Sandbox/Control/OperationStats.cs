using System.Collections.Concurrent;
using System.Globalization;
using WabaOrchestrator.Sandbox.Infrastructure;

namespace WabaOrchestrator.Sandbox.Control;

/// <summary>
/// Response counts per operation and status. Keys are "METHOD route-template", so their number is
/// bounded by the endpoints mapped, not by the requests made.
/// </summary>
internal sealed class OperationStats : IResettable
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<int, long>> _counts = new(StringComparer.Ordinal);

    public void Record(string operation, int status)
    {
        var byStatus = _counts.GetOrAdd(operation, static _ => new ConcurrentDictionary<int, long>());
        byStatus.AddOrUpdate(status, 1, static (_, count) => count + 1);
    }

    public SortedDictionary<string, SortedDictionary<string, long>> Snapshot()
    {
        var snapshot = new SortedDictionary<string, SortedDictionary<string, long>>(StringComparer.Ordinal);
        foreach (var (operation, byStatus) in _counts)
        {
            snapshot[operation] = new SortedDictionary<string, long>(
                byStatus.ToDictionary(p => p.Key.ToString(CultureInfo.InvariantCulture), p => p.Value), StringComparer.Ordinal);
        }

        return snapshot;
    }

    public void Reset() => _counts.Clear();
}
