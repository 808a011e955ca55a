using System.Diagnostics;
using WabaOrchestrator.Durable.Sqlite;

namespace WabaOrchestrator.Bench;

/// <summary>
/// Durable:Synchronous side by side in the onboarding benchmark (issue 15): two hosts as the main one (API, engine,
/// SQLite webhook token store, each with its own sandbox and data directory), one per level, the same SMS onboardings
/// in alternating rounds, then one at a time on each.
/// </summary>
internal static class OnboardingSynchronous
{
    private const string CountryCode = "44";

    public static async Task<IEnumerable<BenchResult>> MeasureAsync(
        BenchContext context, int inFlight, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var perRound = context.Quick ? 160 : 600;
        var rounds = context.Quick ? 2 : 4;
        var alone = context.Quick ? 15 : 40;
        await using var full = await OnboardingBenchHost.StartAsync(TimeSpan.Zero, settings, SqliteSynchronous.Full, cancellationToken);
        await using var normal = await OnboardingBenchHost.StartAsync(TimeSpan.Zero, settings, SqliteSynchronous.Normal, cancellationToken);
        var sides = new[] { (Level: "full", Host: full), (Level: "normal", Host: normal) };
        foreach (var (_, host) in sides)
        {
            await BatchAsync(host, inFlight * 4, inFlight, cancellationToken);
        }

        var loaded = sides.ToDictionary(s => s.Level, _ => new List<(OnboardingRun[] Runs, TimeSpan Elapsed)>());
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (level, host) in round % 2 == 0 ? sides : sides.Reverse())
            {
                loaded[level].Add(await BatchAsync(host, perRound, inFlight, cancellationToken));
            }

            Console.Error.WriteLine($"  synchronous round {round + 1}: full {loaded["full"][^1].Runs.Length / loaded["full"][^1].Elapsed.TotalSeconds:0.#}/s, normal {loaded["normal"][^1].Runs.Length / loaded["normal"][^1].Elapsed.TotalSeconds:0.#}/s");
        }

        var fullAlone = await BatchAsync(full, alone, 1, cancellationToken);
        var normalAlone = await BatchAsync(normal, alone, 1, cancellationToken);

        var fullRate = Rate(loaded["full"]);
        var normalRate = Rate(loaded["normal"]);
        var perRoundRatios = loaded["full"].Zip(loaded["normal"], (f, n) => (f.Runs.Length / f.Elapsed.TotalSeconds) / (n.Runs.Length / n.Elapsed.TotalSeconds)).ToList();
        var fullOne = P50(fullAlone.Runs);
        var normalOne = P50(normalAlone.Runs);
        var failures = loaded.Values.SelectMany(b => b).Append(fullAlone).Append(normalAlone).Sum(b => b.Runs.Count(r => !r.Ok));
        return
        [
            new($"Durable:Synchronous=Full: onboardings completed per second ({inFlight} in flight, {rounds} rounds of {perRound})", fullRate, "onboardings/s"),
            new($"Durable:Synchronous=Normal: onboardings completed per second ({inFlight} in flight, {rounds} rounds of {perRound})", normalRate, "onboardings/s"),
            new($"Full / Normal throughput, {inFlight} in flight", fullRate / normalRate, "ratio", "reported"),
            new("Full / Normal, lowest round", perRoundRatios.Min(), "ratio"),
            new("Full / Normal, highest round", perRoundRatios.Max(), "ratio"),
            new("Full: one onboarding alone, start to READY with profile, p50", fullOne, "ms"),
            new("Normal: one onboarding alone, start to READY with profile, p50", normalOne, "ms"),
            new("Full / Normal, one onboarding alone (p50 time)", fullOne / normalOne, "ratio", "reported"),
            new("Full vs Normal: onboardings not READY with their profile", failures, "count", "0", failures == 0),
        ];
    }

    private static async Task<(OnboardingRun[] Runs, TimeSpan Elapsed)> BatchAsync(OnboardingBenchHost host, int count, int concurrency, CancellationToken cancellationToken)
    {
        var runs = new OnboardingRun[count];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                try
                {
                    runs[i] = await host.RunDurableAsync(CountryCode, OnboardingBenchHost.NextNumber(), cancellationToken);
                }
                catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TimeoutException)
                {
                    Console.Error.WriteLine($"  onboarding failed: {e.Message}");
                    runs[i] = OnboardingRun.Failed("", Stopwatch.GetTimestamp());
                }
            }
        }));
        return (runs, clock.Elapsed);
    }

    private static double Rate(List<(OnboardingRun[] Runs, TimeSpan Elapsed)> batches) => batches.Sum(b => b.Runs.Length) / batches.Sum(b => b.Elapsed.TotalSeconds);

    private static double P50(IEnumerable<OnboardingRun> runs) => LoadRunner.Percentile(runs.Where(r => r.Ok).Select(r => r.Milliseconds).Order().ToList(), 0.50);
}
