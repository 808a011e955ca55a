using System.Diagnostics;

namespace WabaOrchestrator.Bench;

/// <summary>
/// Issue 8, end to end: complete onboardings per second through the API and the durable engine next to the same
/// activities as a plain loop (same sandbox, same webhook, same concurrency, alternating rounds), the latency from a
/// start to Vonage's first call and from a delivered code to Vonage's verify, and Vonage calls per onboarding against
/// the least a perfect client needs.
/// </summary>
internal sealed class OnboardingBenchmark : IBenchmark
{
    private const string CountryCode = "44";
    private const int InFlight = 16;
    private const double TargetRatio = 0.5;
    private const int LatencyMs = 20;
    /// <summary>Neither the issue nor the docs state one for all calls; 1.5x is what docs/onboarding.md holds status polls to.</summary>
    private const double TargetCallsRatio = 1.5;

    /// <summary>
    /// No artificial waits: the sandbox moves state as soon as it can (step delay 0) and the first status GET of each
    /// phase comes after the poll interval; ExpectedCodeSentAfter/ExpectedReadyAfter stay unset.
    /// </summary>
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["PollInterval"] = "00:00:00.010",
        ["MaxPollInterval"] = "00:00:00.080",
    };

    public string Name => "onboarding";

    public string Description =>
        "SMS onboardings to READY with a profile; sandbox in-process on its own socket, step delay 0; Onboarding:PollInterval 10 ms doubling to 80 ms, "
        + "ExpectedCodeSentAfter/ExpectedReadyAfter unset, so nothing waits on purpose. "
        + "Durable: POST /api/onboardings over HTTP, the embedded SQLite engine runs the workflow, the sandbox texts the code to the signed webhook, which raises the Otp event. "
        + "Plain loop: the same activity classes in the workflow's order and poll schedule, the code from the same webhook handed over in memory; no engine, no HTTP start. "
        + $"{InFlight} onboardings in flight on both sides, rounds alternating. Latencies are arrival times at the sandbox's first middleware, in-process; "
        + "code-to-verify is measured on voice onboardings whose code the bench posts to /api/onboardings/{id}/otp once the status says the workflow waits for it. "
        + $"Also: the same pair with every Vonage call answered after {LatencyMs} ms (Vonage is a network hop away, not on our cores), "
        + $"and Vonage calls per onboarding with a {OnboardingPolls.Step.TotalMilliseconds:0} ms sandbox step ({OnboardingPolls.Onboardings} onboardings per poll schedule, a host each). "
        + "Durable:Synchronous: the durable side on two hosts, Full and Normal (each with its own sandbox and database), rounds alternating; the main durable host runs the default, Full.";

    public async Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var perRound = context.Quick ? 160 : 1_000;
        var rounds = context.Quick ? 2 : 3;
        var alone = context.Quick ? 15 : 50;
        var typedAtLoad = context.Quick ? 64 : 320;
        var perRemoteRound = context.Quick ? 64 : 320;

        // Durable:Synchronous Full vs Normal first, on hosts of their own that are gone before the main host starts.
        var synchronous = (await OnboardingSynchronous.MeasureAsync(context, InFlight, Settings, cancellationToken)).ToList();

        await using var host = await OnboardingBenchHost.StartAsync(TimeSpan.Zero, Settings, cancellationToken);
        Func<CancellationToken, Task<OnboardingRun>> durable = ct => host.RunDurableAsync(CountryCode, OnboardingBenchHost.NextNumber(), ct);
        Func<CancellationToken, Task<OnboardingRun>> plain = ct => host.Plain.RunAsync(CountryCode, OnboardingBenchHost.NextNumber(), ct);
        Func<CancellationToken, Task<OnboardingRun>> typed = ct => host.RunOperatorCodeAsync(CountryCode, OnboardingBenchHost.NextNumber(), ct);

        // Warm-up: JIT, connection pools, SQLite pages, the sandbox's dictionaries.
        await BatchAsync(durable, InFlight * 4, InFlight, cancellationToken);
        await BatchAsync(plain, InFlight * 4, InFlight, cancellationToken);
        await BatchAsync(typed, InFlight, InFlight, cancellationToken);

        var durableBatches = new List<Batch>();
        var plainBatches = new List<Batch>();
        var durableCalls = new CallCounts();
        var plainCalls = new CallCounts();
        for (var round = 0; round < rounds; round++)
        {
            // Alternate which side goes first, so neither always follows the other's leftovers (GC, SQLite checkpoints).
            if (round % 2 == 0)
            {
                durableBatches.Add(await CountedAsync(durable, durableCalls));
                plainBatches.Add(await CountedAsync(plain, plainCalls));
            }
            else
            {
                plainBatches.Add(await CountedAsync(plain, plainCalls));
                durableBatches.Add(await CountedAsync(durable, durableCalls));
            }

            Console.Error.WriteLine($"  onboarding round {round + 1}: durable {durableBatches[^1].PerSecond:0.#}/s, plain {plainBatches[^1].PerSecond:0.#}/s");
        }

        // Real Vonage is tens of milliseconds away, not on our two cores: the same pair with every Vonage call answered
        // after a fixed delay shows what durability costs when Vonage's latency, not this machine's CPU, is the bound.
        await host.SetLatencyAsync(LatencyMs, cancellationToken);
        var durableRemote = new List<Batch>();
        var plainRemote = new List<Batch>();
        for (var round = 0; round < 2; round++)
        {
            var first = round % 2 == 0 ? (durable, durableRemote) : (plain, plainRemote);
            var second = round % 2 == 0 ? (plain, plainRemote) : (durable, durableRemote);
            first.Item2.Add(await BatchAsync(first.Item1, perRemoteRound, InFlight, cancellationToken));
            second.Item2.Add(await BatchAsync(second.Item1, perRemoteRound, InFlight, cancellationToken));
        }

        await host.SetLatencyAsync(0, cancellationToken);

        // One at a time: what one onboarding takes when nothing queues.
        var durableAlone = await BatchAsync(durable, alone, 1, cancellationToken);
        var plainAlone = await BatchAsync(plain, alone, 1, cancellationToken);

        // Codes typed by an operator while the workflow waits for them: the service's own code-to-verify latency.
        var typedAlone = await BatchAsync(typed, alone, 1, cancellationToken);
        var typedLoaded = await BatchAsync(typed, typedAtLoad, InFlight, cancellationToken);

        var backoff = await OnboardingPolls.MeasureAsync(OnboardingPolls.BackoffOnly, cancellationToken);
        var expected = await OnboardingPolls.MeasureAsync(OnboardingPolls.ExpectedTimes, cancellationToken);

        var durableRate = Rate(durableBatches);
        var plainRate = Rate(plainBatches);
        var ratio = durableRate / plainRate;
        var ratios = durableBatches.Zip(plainBatches, (d, p) => d.PerSecond / p.PerSecond).ToList();
        var remoteRatio = Rate(durableRemote) / Rate(plainRemote);
        var failures = durableBatches.Concat(plainBatches).Concat(durableRemote).Concat(plainRemote).Concat([durableAlone, plainAlone, typedAlone, typedLoaded]).Sum(b => b.Runs.Count(r => !r.Ok))
            + backoff.Failures + expected.Failures;

        long? StartToProvision(OnboardingRun r) => host.Probe.Provisions.TryGetValue(r.FullNumber, out var t) ? t - r.StartedAt : null;
        long? TypedToVerify(OnboardingRun r) => r.DeploymentId is { } id && r.CodePostedAt > 0 && host.Probe.Verifies.TryGetValue(id, out var t) ? t - r.CodePostedAt : null;
        long? TextedToVerify(OnboardingRun r) =>
            r.DeploymentId is { } id && host.Probe.Verifies.TryGetValue(id, out var t) && host.CodeDeliveries.TryGetValue(r.FullNumber, out var delivered) ? t - delivered : null;

        var startAlone = Latencies(typedAlone.Runs, StartToProvision);
        var startLoaded = Latencies(typedLoaded.Runs, StartToProvision);
        var otpAlone = Latencies(typedAlone.Runs, TypedToVerify);
        var otpLoaded = Latencies(typedLoaded.Runs, TypedToVerify);
        var smsDurable = Latencies(durableBatches.SelectMany(b => b.Runs), TextedToVerify);
        var smsPlain = Latencies(plainBatches.SelectMany(b => b.Runs), TextedToVerify);
        var durableOne = Latencies(durableAlone.Runs, r => r.EndedAt - r.StartedAt);
        var plainOne = Latencies(plainAlone.Runs, r => r.EndedAt - r.StartedAt);

        var perOnboarding = durableCalls.PerOnboarding;
        var callsRatio = perOnboarding / CallCounts.Minimum;
        return
        [
            new($"durable: onboardings completed per second ({InFlight} in flight)", durableRate, "onboardings/s"),
            new($"plain loop of the same activities, no engine ({InFlight} in flight)", plainRate, "onboardings/s"),
            new("durable / plain loop throughput", ratio, "ratio", $">= {TargetRatio}", ratio >= TargetRatio),
            new("durable / plain loop, lowest round", ratios.Min(), "ratio"),
            new("durable / plain loop, highest round", ratios.Max(), "ratio"),
            new($"with every Vonage call taking {LatencyMs} ms: durable", Rate(durableRemote), "onboardings/s"),
            new($"with every Vonage call taking {LatencyMs} ms: plain loop", Rate(plainRemote), "onboardings/s"),
            new($"with every Vonage call taking {LatencyMs} ms: durable / plain loop", remoteRatio, "ratio"),
            new("process CPU per onboarding, durable (API, engine, sandbox, bench: all in this process)", CpuMs(durableBatches), "ms"),
            new("process CPU per onboarding, plain loop (sandbox and bench included)", CpuMs(plainBatches), "ms"),
            new($"onboardings per round and side ({rounds} rounds each)", perRound, "count"),
            new("one onboarding alone, start to READY with profile, p50: durable", durableOne.P50, "ms"),
            new("one onboarding alone, start to READY with profile, p50: plain loop", plainOne.P50, "ms"),
            new("POST /api/onboardings → provision at Vonage, p50, 1 in flight", startAlone.P50, "ms"),
            new("POST /api/onboardings → provision at Vonage, p99, 1 in flight", startAlone.P99, "ms"),
            new($"POST /api/onboardings → provision at Vonage, p50, {InFlight} in flight", startLoaded.P50, "ms"),
            new($"POST /api/onboardings → provision at Vonage, p99, {InFlight} in flight", startLoaded.P99, "ms"),
            new("POST …/otp (workflow waiting) → verify at Vonage, p50, 1 in flight", otpAlone.P50, "ms"),
            new("POST …/otp (workflow waiting) → verify at Vonage, p99, 1 in flight", otpAlone.P99, "ms"),
            new($"POST …/otp (workflow waiting) → verify at Vonage, p50, {InFlight} in flight", otpLoaded.P50, "ms"),
            new($"POST …/otp (workflow waiting) → verify at Vonage, p99, {InFlight} in flight", otpLoaded.P99, "ms"),
            new($"SMS code at the webhook → verify, p50, {InFlight} in flight, durable (the code beats the first poll: includes waiting for it)", smsDurable.P50, "ms"),
            new($"SMS code at the webhook → verify, p50, {InFlight} in flight, plain loop (same wait)", smsPlain.P50, "ms"),
            new("durable: Vonage calls per onboarding", perOnboarding, "calls"),
            new("minimum Vonage calls per onboarding (provision, GET to see CODE_SENT, verify, GET to see READY, profile)", CallCounts.Minimum, "calls"),
            new("durable: Vonage calls per onboarding / minimum", callsRatio, "ratio", $"<= {TargetCallsRatio}", callsRatio <= TargetCallsRatio),
            new("durable: status GETs per onboarding", durableCalls.GetsPerOnboarding, "calls"),
            new("plain loop: Vonage calls per onboarding", plainCalls.PerOnboarding, "calls"),
            new($"sandbox step {OnboardingPolls.Step.TotalMilliseconds:0} ms, poll backoff only (50 ms doubling to 400 ms): Vonage calls per onboarding", backoff.CallsPerOnboarding, "calls"),
            new($"sandbox step {OnboardingPolls.Step.TotalMilliseconds:0} ms, poll backoff only: status GETs per onboarding", backoff.GetsPerOnboarding, "calls"),
            new($"sandbox step {OnboardingPolls.Step.TotalMilliseconds:0} ms, poll backoff only: calls / minimum", backoff.CallsPerOnboarding / CallCounts.Minimum, "ratio"),
            new($"sandbox step {OnboardingPolls.Step.TotalMilliseconds:0} ms, ExpectedCodeSentAfter 350 ms, ExpectedReadyAfter 250 ms: status GETs per onboarding", expected.GetsPerOnboarding, "calls"),
            new($"sandbox step {OnboardingPolls.Step.TotalMilliseconds:0} ms, ExpectedCodeSentAfter 350 ms, ExpectedReadyAfter 250 ms: calls / minimum", expected.CallsPerOnboarding / CallCounts.Minimum, "ratio",
                $"<= {TargetCallsRatio}", expected.CallsPerOnboarding / CallCounts.Minimum <= TargetCallsRatio),
            new("onboardings not READY with their profile (all phases)", failures, "count", "0", failures == 0),
            .. synchronous,
        ];

        async Task<Batch> CountedAsync(Func<CancellationToken, Task<OnboardingRun>> run, CallCounts counts)
        {
            var before = await host.StatsAsync(cancellationToken);
            var batch = await BatchAsync(run, perRound, InFlight, cancellationToken);
            counts.Add(before, await host.StatsAsync(cancellationToken), batch.Runs.Count);
            return batch;
        }
    }

    /// <summary><paramref name="count"/> onboardings, <paramref name="concurrency"/> at a time, timed from the first start to the last end.</summary>
    private static async Task<Batch> BatchAsync(Func<CancellationToken, Task<OnboardingRun>> run, int count, int concurrency, CancellationToken cancellationToken)
    {
        var runs = new OnboardingRun[count];
        var next = -1;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                try
                {
                    runs[i] = await run(cancellationToken);
                }
                catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TimeoutException)
                {
                    Console.Error.WriteLine($"  onboarding failed: {e.Message}");
                    runs[i] = OnboardingRun.Failed("", Stopwatch.GetTimestamp());
                }
            }
        }));
        return new Batch(runs, clock.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }

    private static double Rate(List<Batch> batches) => batches.Sum(b => b.Runs.Count) / batches.Sum(b => b.Elapsed.TotalSeconds);

    private static double CpuMs(List<Batch> batches) => batches.Sum(b => b.Cpu.TotalMilliseconds) / batches.Sum(b => b.Runs.Count);

    private static (double P50, double P99) Latencies(IEnumerable<OnboardingRun> runs, Func<OnboardingRun, long?> ticks)
    {
        var sorted = runs.Select(ticks).OfType<long>().Select(t => t * 1000.0 / Stopwatch.Frequency).Order().ToList();
        return (LoadRunner.Percentile(sorted, 0.50), LoadRunner.Percentile(sorted, 0.99));
    }

    /// <param name="Runs">Every onboarding of the batch.</param>
    /// <param name="Elapsed">From the first start to the last end.</param>
    /// <param name="Cpu">This process's CPU time meanwhile: the API, the engine, the sandbox and the bench are all in it.</param>
    private sealed record Batch(IReadOnlyList<OnboardingRun> Runs, TimeSpan Elapsed, TimeSpan Cpu)
    {
        public double PerSecond => Runs.Count / Elapsed.TotalSeconds;
    }
}
