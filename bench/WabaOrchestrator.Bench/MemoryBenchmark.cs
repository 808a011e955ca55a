using System.Diagnostics;
using System.Text.Json.Nodes;
using WabaOrchestrator.Testing.Processes;

namespace WabaOrchestrator.Bench;

/// <summary>
/// Issue 8: resident memory of the whole service (the local host process, the sandbox being another process) with
/// 1,000 to 10,000 onboardings waiting for their OTP, added to one host level by level, next to the idle host.
/// </summary>
internal sealed class MemoryBenchmark : IBenchmark
{
    private const int TargetLevel = 10_000;
    private const double TargetMb = 300;

    /// <summary>Extra host environment for experiments (<c>NAME=value;NAME=value</c>), e.g. <c>DOTNET_gcServer=0</c>; named in the results.</summary>
    private const string HostEnvironmentVariable = "BENCH_MEMORY_HOST_ENV";

    public string Name => "memory";

    public string Description =>
        "Local host process RSS with 1,000 / 2,500 / 5,000 / 10,000 voice onboardings waiting for their OTP (sandbox in its own process), the idle host, growth per 1,000, SQLite size, start rate.";

    public async Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        int[] levels = context.Quick ? [200, 500, 1_000] : [1_000, 2_500, 5_000, TargetLevel];
        var settleDeadline = TimeSpan.FromSeconds(context.Quick ? 15 : 60);
        var extra = ExtraHostEnvironment();
        var hostSettings = new Dictionary<string, string?>(extra)
        {
            // Long enough that no window ends (and no resend is asked) while the levels are measured.
            ["Onboarding:OtpWindow"] = "01:00:00",
        };

        await using var stack = await ProcessStack.StartAsync(new ProcessStackOptions
        {
            HostSettings = hostSettings,
            SandboxSettings = new Dictionary<string, string?>
            {
                ["Sandbox:StepDelay"] = "00:00:00.010",
                ["Sandbox:MaxDeployments"] = "20000",
            },
        });

        var results = new List<BenchResult>();
        foreach (var (name, value) in extra)
        {
            results.Add(new($"host run with {name}={value} (not the product's default)", 1, "setting"));
        }

        results.Add(HostGcMode());
        var (idle, idleSettled) = await MemorySample.SettledAsync(stack.Host, settleDeadline, cancellationToken);
        results.Add(new($"RSS, idle host (no onboarding){Unsettled(idleSettled)}", idle.RssMb, "MB"));
        results.AddRange(Breakdown("idle", idle));

        var onboardings = new MemoryOnboardings(stack.Client);
        var started = 0;
        var startTime = TimeSpan.Zero;
        var measured = new List<(int Level, MemorySample Sample)>();
        foreach (var level in levels)
        {
            var clock = Stopwatch.StartNew();
            await onboardings.StartAsync(started, level, cancellationToken);
            await onboardings.WaitUntilWaitingAsync(level, TimeSpan.FromMinutes(5), cancellationToken);
            startTime += clock.Elapsed;
            started = level;

            var (sample, settled) = await MemorySample.SettledAsync(stack.Host, settleDeadline, cancellationToken);
            measured.Add((level, sample));
            var atTarget = level == TargetLevel;
            results.Add(new(
                $"RSS, {level:N0} onboardings waiting for their OTP{Unsettled(settled)}",
                sample.RssMb,
                "MB",
                atTarget ? $"<= {TargetMb} MB" : null,
                atTarget ? sample.RssMb <= TargetMb : null));
            Console.Error.WriteLine($"  memory: {level} waiting, RSS {sample.RssMb:0.#} MB{Unsettled(settled)}");
        }

        var (firstLevel, first) = measured[0];
        var (lastLevel, last) = measured[^1];
        results.AddRange(Breakdown($"{lastLevel:N0} waiting", last));
        results.Add(new(
            $"RSS growth per 1,000 waiting, {firstLevel:N0} to {lastLevel:N0}",
            (last.RssMb - first.RssMb) / ((lastLevel - firstLevel) / 1_000.0),
            "MB/1,000"));
        results.Add(new($"RSS growth per waiting onboarding, over the idle host at {lastLevel:N0}", (last.RssMb - idle.RssMb) * 1024 / lastLevel, "KB"));
        results.Add(await AfterRestartAsync(stack, onboardings, lastLevel, settleDeadline, cancellationToken));
        results.Add(new($"SQLite database at {lastLevel:N0} (durable.db + -wal)", FileMb(stack.DatabasePath) + FileMb(stack.DatabasePath + "-wal"), "MB"));
        results.Add(new($"time to start {lastLevel:N0} onboardings until all wait for their OTP (sum over the levels; sandbox steps 10 ms, polls from 50 ms)", startTime.TotalSeconds, "s"));
        results.Add(new("onboardings started until waiting, per second", lastLevel / startTime.TotalSeconds, "onboardings/s"));
        return results;
    }

    /// <summary>
    /// A crash and restart with every onboarding still waiting: instances are loaded lazily, so the recovered host holds
    /// their timers but none of their orchestrators until an event arrives.
    /// </summary>
    private static async Task<BenchResult> AfterRestartAsync(ProcessStack stack, MemoryOnboardings onboardings, int waiting, TimeSpan settleDeadline, CancellationToken cancellationToken)
    {
        await stack.KillAndRestartHostAsync();
        await onboardings.WaitUntilWaitingAsync(waiting, TimeSpan.FromMinutes(2), cancellationToken);
        var (sample, settled) = await MemorySample.SettledAsync(stack.Host, settleDeadline, cancellationToken);
        return new($"RSS after kill -9 and restart, {waiting:N0} still waiting{Unsettled(settled)}", sample.RssMb, "MB");
    }

    private static IEnumerable<BenchResult> Breakdown(string when, MemorySample sample)
    {
        if (sample is { AnonMb: { } anon, FileMb: { } file, SharedMb: { } shared })
        {
            yield return new($"  {when}: anonymous (GC heaps, native, SQLite cache)", anon, "MB");
            yield return new($"  {when}: file-backed (mapped assemblies)", file, "MB");
            yield return new($"  {when}: shared (JIT code double-mapped for W^X)", shared, "MB");
        }
    }

    private static string Unsettled(bool settled) => settled ? "" : " (still moving at the deadline)";

    private static double FileMb(string path) => File.Exists(path) ? new FileInfo(path).Length / (1024.0 * 1024) : 0;

    /// <summary>The host's GC as its build configures it; DATAS (dynamic heap count) is on by default with Server GC since .NET 9.</summary>
    private static BenchResult HostGcMode()
    {
        var config = Path.Combine(AppContext.BaseDirectory, "WabaOrchestrator.Local.runtimeconfig.json");
        var properties = JsonNode.Parse(File.ReadAllText(config))?["runtimeOptions"]?["configProperties"];
        var server = properties?["System.GC.Server"]?.GetValue<bool>() ?? false;
        var datas = properties?["System.GC.DynamicAdaptationMode"]?.ToString() ?? "runtime default (on with Server GC)";
        return new($"host GC from its runtimeconfig: {(server ? "Server" : "Workstation")} GC, DATAS {datas}", server ? 1 : 0, "Server GC (1 = yes)");
    }

    private static Dictionary<string, string?> ExtraHostEnvironment() =>
        (Environment.GetEnvironmentVariable(HostEnvironmentVariable) ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => (string?)pair[1], StringComparer.Ordinal);
}
