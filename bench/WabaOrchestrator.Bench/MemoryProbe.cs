using System.Diagnostics;
using System.Globalization;
using WabaOrchestrator.Testing.Processes;

namespace WabaOrchestrator.Bench;

/// <summary>Resident memory of another process, read from <c>/proc/{pid}/status</c> (the working set elsewhere).</summary>
/// <remarks>
/// Anonymous is the GC heaps, native allocations and SQLite's page cache; file-backed is mostly the mapped framework
/// assemblies; shared is mostly JIT code, which .NET maps twice through shared memory for W^X.
/// </remarks>
internal sealed record MemorySample(double RssMb, double? AnonMb, double? FileMb, double? SharedMb)
{
    private const double Mb = 1024 * 1024;

    public static MemorySample Of(ServiceProcess process)
    {
        var status = $"/proc/{process.Id}/status";
        if (!File.Exists(status))
        {
            return new(process.WorkingSet / Mb, null, null, null);
        }

        var fields = File.ReadLines(status)
            .Select(l => l.Split(':', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1].Trim(), StringComparer.Ordinal);
        return new(Kb(fields, "VmRSS") ?? process.WorkingSet / Mb, Kb(fields, "RssAnon"), Kb(fields, "RssFile"), Kb(fields, "RssShmem"));
    }

    /// <summary>
    /// Samples until the RSS moved by at most <paramref name="toleranceMb"/> over the last few samples, so the figure is
    /// the process at rest rather than mid-collection; past <paramref name="deadline"/> the last sample is taken as is.
    /// </summary>
    public static async Task<(MemorySample Sample, bool Settled)> SettledAsync(ServiceProcess process, TimeSpan deadline, CancellationToken cancellationToken, double toleranceMb = 1)
    {
        const int window = 6;
        var recent = new Queue<MemorySample>();
        var clock = Stopwatch.StartNew();
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        while (await tick.WaitForNextTickAsync(cancellationToken))
        {
            var sample = Of(process);
            recent.Enqueue(sample);
            if (recent.Count > window)
            {
                recent.Dequeue();
            }

            if (recent.Count == window && recent.Max(s => s.RssMb) - recent.Min(s => s.RssMb) <= toleranceMb)
            {
                return (sample, true);
            }

            if (clock.Elapsed > deadline)
            {
                return (sample, false);
            }
        }

        throw new OperationCanceledException(cancellationToken);
    }

    private static double? Kb(Dictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var value) && value.EndsWith(" kB", StringComparison.Ordinal)
            ? double.Parse(value[..^3], CultureInfo.InvariantCulture) / 1024
            : null;
}
