using WabaOrchestrator.Durable.Sqlite;

namespace WabaOrchestrator.Bench;

/// <summary>
/// Durable:Synchronous side by side (issue 15): two engines in this process, one per level, each on its own file in
/// the temp directory, rounds alternating which goes first. Under load a batch's one fsync is shared by everything in
/// it; with one chain at a time every step is a batch of its own and pays its own fsync, the worst case for Full.
/// </summary>
internal static class EngineSynchronous
{
    public static async Task<IEnumerable<BenchResult>> MeasureAsync(BenchContext context, int inFlight, CancellationToken cancellationToken)
    {
        await using var full = await EngineBenchHost.StartAsync(SqliteSynchronous.Full, cancellationToken);
        await using var normal = await EngineBenchHost.StartAsync(SqliteSynchronous.Normal, cancellationToken);
        var sides = new[] { (Level: "full", Host: full), (Level: "normal", Host: normal) };
        var loaded = sides.ToDictionary(s => s.Level, _ => new List<LoadResult>());
        var alone = sides.ToDictionary(s => s.Level, _ => new List<LoadResult>());
        var next = 0;
        var rounds = context.Quick ? 2 : 4;
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (level, host) in round % 2 == 0 ? sides : sides.Reverse())
            {
                Func<CancellationToken, Task<bool>> chain = ct => host.RunAsync(nameof(EngineChainOrchestrator), $"{level}-{Interlocked.Increment(ref next)}", 0, ct);
                loaded[level].Add(await LoadRunner.RunAsync(chain, inFlight, context.Duration(TimeSpan.FromSeconds(3)), context.Duration(TimeSpan.FromSeconds(1)), cancellationToken));
                alone[level].Add(await LoadRunner.RunAsync(chain, 1, context.Duration(TimeSpan.FromSeconds(2)), context.Duration(TimeSpan.FromSeconds(0.5)), cancellationToken));
            }
        }

        var fullRate = Rate(loaded["full"]);
        var normalRate = Rate(loaded["normal"]);
        var fullAlone = Rate(alone["full"]);
        var normalAlone = Rate(alone["normal"]);
        var perRound = loaded["full"].Zip(loaded["normal"], (f, n) => f.PerSecond / n.PerSecond).ToList();
        var failures = loaded.Values.Concat(alone.Values).SelectMany(r => r).Sum(r => r.Failures);
        return
        [
            new($"Durable:Synchronous=Full: 10-step chains per second ({inFlight} in flight, {rounds} rounds)", fullRate, "orchestrations/s"),
            new($"Durable:Synchronous=Normal: 10-step chains per second ({inFlight} in flight, {rounds} rounds)", normalRate, "orchestrations/s"),
            new($"Full / Normal throughput, {inFlight} in flight", fullRate / normalRate, "ratio", "reported"),
            new("Full / Normal, lowest round", perRound.Min(), "ratio"),
            new("Full / Normal, highest round", perRound.Max(), "ratio"),
            new($"Full: chain latency p50 ({inFlight} in flight, median of rounds)", Median(loaded["full"].Select(r => r.P50Ms)), "ms"),
            new($"Normal: chain latency p50 ({inFlight} in flight, median of rounds)", Median(loaded["normal"].Select(r => r.P50Ms)), "ms"),
            new("Full: one chain at a time (11 commits each: the start and one per step), chains per second", fullAlone, "orchestrations/s"),
            new("Normal: one chain at a time (11 commits each: the start and one per step), chains per second", normalAlone, "orchestrations/s"),
            new("Full / Normal throughput, one chain at a time (one fsync per commit)", fullAlone / normalAlone, "ratio", "reported"),
            new("Full vs Normal: chains that did not complete", failures, "count", "0", failures == 0),
        ];
    }

    private static double Rate(List<LoadResult> runs) => runs.Sum(r => r.Operations) / runs.Sum(r => r.Elapsed.TotalSeconds);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
