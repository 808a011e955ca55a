using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text.Json;
using WabaOrchestrator.Durable;
using ActivityContext = WabaOrchestrator.Durable.ActivityContext;

namespace WabaOrchestrator.Bench;

/// <summary>
/// The embedded SQLite engine (issue 4): complete 10-step chains per second next to the same steps as a plain loop,
/// the cost of a step at history length 10 versus 1,000, and resident memory with 10,000 instances waiting.
/// </summary>
internal sealed class EngineBenchmark : IBenchmark
{
    private const int WaitingInstances = 10_000;
    private const int LastSteps = 9;

    /// <summary>Chains in flight in the closed loop: enough to fill the dispatcher's batches (more only queues).</summary>
    private const int InFlight = 256;

    public string Name => "engine";

    public string Description =>
        "Embedded SQLite durable engine: 10-step no-op chains per second vs an in-memory loop, step cost at history length 10 vs 1,000, RSS with 10,000 instances waiting on an event; "
        + "Durable:Synchronous Full vs Normal side by side (two engines, own files, rounds alternating; the other figures run the default, Full).";

    public async Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var results = new List<BenchResult>();

        // Memory first, while nothing else has grown the heap.
        results.AddRange(await MeasureWaitingMemoryAsync(cancellationToken));
        results.AddRange(await MeasureThroughputAsync(context, cancellationToken));
        results.AddRange(await MeasureStepCostAsync(context, cancellationToken));
        results.AddRange(await EngineSynchronous.MeasureAsync(context, InFlight, cancellationToken));
        if (LoadAverage() is { } load)
        {
            // The build machines are shared: this says how much else competed for the cores during the run.
            results.Add(new("machine load average (1 min) at the end", load, "runnable tasks"));
        }

        return results;
    }

    private static async Task<IEnumerable<BenchResult>> MeasureThroughputAsync(BenchContext context, CancellationToken cancellationToken)
    {
        LoadResult engineRun;
        await using (var engine = await EngineBenchHost.StartAsync(cancellationToken))
        {
            var next = 0;
            engineRun = await LoadRunner.RunAsync(
                ct => engine.RunAsync(nameof(EngineChainOrchestrator), $"chain-{Interlocked.Increment(ref next)}", 0, ct),
                concurrency: InFlight,
                duration: context.Duration(TimeSpan.FromSeconds(10)),
                warmup: context.Duration(TimeSpan.FromSeconds(3)),
                cancellationToken);
        }

        var loopPerSecond = await InMemoryChainsPerSecondAsync(context.Duration(TimeSpan.FromSeconds(3)));
        return
        [
            new("10-step chains completed per second, engine", engineRun.PerSecond, "orchestrations/s", ">= 1,000/s", engineRun.PerSecond >= 1_000),
            new($"chain latency p50 ({InFlight} in flight)", engineRun.P50Ms, "ms"),
            new($"chain latency p99 ({InFlight} in flight)", engineRun.P99Ms, "ms"),
            new("chains that did not complete", engineRun.Failures, "count", "0", engineRun.Failures == 0),
            new("10-step chains per second, plain in-memory loop", loopPerSecond, "orchestrations/s"),
            new("in-memory loop / engine", loopPerSecond / engineRun.PerSecond, "x", "reported"),
        ];
    }

    /// <summary>The same ten activity calls, awaited in a loop with no engine: the floor the engine is compared to.</summary>
    private static async Task<double> InMemoryChainsPerSecondAsync(TimeSpan duration)
    {
        IActivity activity = new EngineNoOpActivity();
        var activityContext = new ActivityContext(nameof(EngineNoOpActivity), "loop", CancellationToken.None);
        var clock = Stopwatch.StartNew();
        long chains = 0;
        while (clock.Elapsed < duration)
        {
            object? value = 0L;
            for (var i = 0; i < EngineChainOrchestrator.Steps; i++)
            {
                value = await activity.RunAsync(activityContext, value);
            }

            chains++;
        }

        return chains / clock.Elapsed.TotalSeconds;
    }

    private static async Task<IEnumerable<BenchResult>> MeasureStepCostAsync(BenchContext context, CancellationToken cancellationToken)
    {
        await using var engine = await EngineBenchHost.StartAsync(cancellationToken);
        await LastStepCostAsync(engine, "warm-10", 10, cancellationToken);
        await LastStepCostAsync(engine, "warm-100", 100, cancellationToken);

        // One instance at a time, so each step's time is the engine's round trip and nothing else's.
        var shortRuns = new List<double>();
        var longRuns = new List<double>();
        var rounds = context.Quick ? 2 : 5;
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < 6; i++)
            {
                shortRuns.Add(await LastStepCostAsync(engine, $"short-{round}-{i}", 10, cancellationToken));
            }

            longRuns.Add(await LastStepCostAsync(engine, $"long-{round}", 1_000, cancellationToken));
        }

        var shortCost = Median(shortRuns);
        var longCost = Median(longRuns);
        var ratio = longCost / shortCost;
        return
        [
            new($"step cost, last {LastSteps} steps at history length 10 (median of {shortRuns.Count})", shortCost, "ms/step"),
            new($"step cost, last {LastSteps} steps at history length 1,000 (median of {longRuns.Count})", longCost, "ms/step"),
            new("step cost ratio, length 1,000 / length 10", ratio, "x", "<= 1.5", ratio <= 1.5),
        ];
    }

    private static async Task<double> LastStepCostAsync(EngineBenchHost engine, string instanceId, int length, CancellationToken cancellationToken)
    {
        if (!await engine.RunAsync(nameof(EngineLoopOrchestrator), instanceId, length, cancellationToken))
        {
            throw new InvalidOperationException($"{instanceId} did not complete.");
        }

        var last = EngineTimedActivity.Timestamps[(instanceId, length - 1)];
        var first = EngineTimedActivity.Timestamps[(instanceId, length - 1 - LastSteps)];
        return Stopwatch.GetElapsedTime(first, last).TotalMilliseconds / LastSteps;
    }

    private static async Task<IEnumerable<BenchResult>> MeasureWaitingMemoryAsync(CancellationToken cancellationToken)
    {
        CollectEverything();
        var baseline = ResidentBytes();
        double resident;
        double managed;
        TimeSpan startAll;
        await using (var engine = await EngineBenchHost.StartAsync(cancellationToken))
        {
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(
                Enumerable.Range(0, WaitingInstances),
                new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
                async (i, ct) => await engine.Client.ScheduleNewOrchestrationInstanceAsync(
                    nameof(EngineWaitingOrchestrator), $"waiting-{i.ToString("D5", CultureInfo.InvariantCulture)}", i, ct));
            await WaitUntilAllWaitingAsync(engine.Client, cancellationToken);
            startAll = clock.Elapsed;

            CollectEverything();
            resident = ResidentBytes();
            managed = GC.GetTotalMemory(forceFullCollection: true);
        }

        const double mb = 1024 * 1024;
        return
        [
            new($"RSS with {WaitingInstances:N0} instances waiting on an event (after full GC)", resident / mb, "MB", "<= 200 MB", resident / mb <= 200),
            new("RSS of the process before the instances", baseline / mb, "MB"),
            new("managed heap with the instances waiting", managed / mb, "MB"),
            new($"time to start {WaitingInstances:N0} instances until all wait", startAll.TotalSeconds, "s"),
        ];
    }

    private static async Task WaitUntilAllWaitingAsync(IOrchestrationClient client, CancellationToken cancellationToken)
    {
        var waiting = JsonSerializer.Serialize(EngineWaitingOrchestrator.Waiting, DurableJson.Options);
        var deadline = Stopwatch.StartNew();
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (await tick.WaitForNextTickAsync(cancellationToken))
        {
            var count = 0;
            string? token = null;
            do
            {
                var page = await client.QueryInstancesAsync(
                    new OrchestrationQuery { InstanceIdPrefix = "waiting-", Statuses = [OrchestrationRuntimeStatus.Running], PageSize = 1_000, ContinuationToken = token },
                    cancellationToken);
                count += page.Instances.Count(i => i.SerializedCustomStatus == waiting);
                token = page.ContinuationToken;
            }
            while (token is not null);

            if (count == WaitingInstances)
            {
                return;
            }

            if (deadline.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException($"Only {count} of {WaitingInstances} instances reached their wait within 5 minutes.");
            }
        }
    }

    private static void CollectEverything()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    /// <summary>VmRSS from /proc on Linux (what the OS charges the process), the working set elsewhere.</summary>
    private static double ResidentBytes()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
        {
            var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            if (line is not null)
            {
                return double.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return self.WorkingSet64;
    }

    private static double? LoadAverage()
    {
        const string loadavg = "/proc/loadavg";
        return File.Exists(loadavg)
            ? double.Parse(File.ReadAllText(loadavg).Split(' ')[0], CultureInfo.InvariantCulture)
            : null;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
