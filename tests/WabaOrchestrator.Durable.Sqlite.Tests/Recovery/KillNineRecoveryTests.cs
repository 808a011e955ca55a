using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using WabaOrchestrator.Durable.Sqlite.Tests.Infrastructure;
using WabaOrchestrator.Durable.Sqlite.TestHost;
using WabaOrchestrator.Durable.Sqlite.TestHost.Chain;
using WabaOrchestrator.Durable.Sqlite.TestHost.Driver;
using WabaOrchestrator.Durable.Sqlite.TestHost.Events;
using Xunit.Abstractions;

namespace WabaOrchestrator.Durable.Sqlite.Tests.Recovery;

/// <summary>
/// The engine runs in a child process that is killed with SIGKILL at random moments and started again on the same
/// file. Nothing may be lost or recorded twice: activities may run again (at least once), but each scheduled activity
/// has exactly one result in history, and every instance ends with the output a crash-free run gives.
/// </summary>
public sealed class KillNineRecoveryTests(ITestOutputHelper output)
{
    private const int Instances = 50;
    private const int Kills = 20;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FinishTimeout = TimeSpan.FromSeconds(90);

    /// <summary>The whole kill-and-restart test, however slow each child start is.</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task KilledTwentyTimesWhileFiftyInstancesRun_EveryInstanceCompletesAndEachResultIsRecordedOnce()
    {
        var seed = Environment.GetEnvironmentVariable("RECOVERY_SEED") is { Length: > 0 } fixedSeed
            ? int.Parse(fixedSeed, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        output.WriteLine($"seed {seed} (set RECOVERY_SEED={seed} to repeat the kill schedule)");
        var random = new Random(seed);
        using var database = new TempDatabase();
        var auditPath = Path.Combine(database.Directory, "audit.log");
        var arguments = new HostArguments(HostMode.Chaos, database.Path)
        {
            Instances = Instances,
            AuditPath = auditPath,
            // Long enough that the work spans the kills, so they land mid-activity, mid-batch and mid-timer.
            ActivityDelay = TimeSpan.FromMilliseconds(100),
        };

        var clock = Stopwatch.StartNew();
        for (var kill = 1; kill <= Kills; kill++)
        {
            await using var child = ChildHost.Start(arguments);

            // Mostly while the engine works; now and then while it is still opening the file and resuming.
            var duringStartUp = random.Next(4) == 0;
            if (!duringStartUp)
            {
                await child.WaitForLineAsync("started", Within(clock, StartTimeout));
            }

            var delay = random.Next(50, 401);
            await Task.Delay(delay); // The chaos itself: when the kill lands, not a wait for anything.
            child.Kill();
            output.WriteLine($"kill {kill,2} {delay,3} ms after {(duringStartUp ? "launch " : "started")}: {AuditLog.Read(auditPath).Count} activity executions so far");
        }

        var resultsPath = Path.Combine(database.Directory, "results.json");
        await using (var last = ChildHost.Start(arguments with { ResultsPath = resultsPath }))
        {
            Assert.Equal(0, await last.WaitForExitAsync(Within(clock, FinishTimeout)));
        }

        output.WriteLine($"all finished after {clock.Elapsed.TotalSeconds:0.0} s");
        var results = InstanceResult.Read(resultsPath).ToDictionary(r => r.InstanceId);
        for (var i = 0; i < Instances; i++)
        {
            var result = results[ChainScenario.InstanceId(i)];
            Assert.True(result.Status == OrchestrationRuntimeStatus.Completed, $"{result.InstanceId} is {result.Status}: {result.Failure}");
            Assert.Equal(ChainScenario.Expected(i), JsonSerializer.Deserialize<ChainOutput>(result.SerializedOutput!, DurableJson.Options));
        }

        var audit = AuditLog.Read(auditPath);
        var executions = audit.CountBy(e => (e.InstanceId, e.Step)).ToDictionary();
        for (var i = 0; i < Instances; i++)
        {
            for (var step = 0; step < ChainScenario.Steps; step++)
            {
                var runs = executions.GetValueOrDefault((ChainScenario.InstanceId(i), step));
                Assert.True(runs >= (step == ChainScenario.FlakyStep ? 2 : 1), $"{ChainScenario.InstanceId(i)} step {step} ran {runs} times.");
            }
        }

        var history = HistoryLedger.Read(database.Path);
        history.AssertEveryActivityResultRecordedOnce(Instances);
        var scheduled = history.ScheduledActivities;
        output.WriteLine($"{audit.Count} activity executions for {scheduled} schedulings: {audit.Count - scheduled} re-ran after a kill");
    }

    [Fact]
    public async Task EventsRaisedWhileNoHostRuns_AreDeliveredAfterRestart()
    {
        const int instances = 10;
        using var database = new TempDatabase();
        var arguments = new HostArguments(HostMode.Events, database.Path) { Instances = instances };

        await using (var first = ChildHost.Start(arguments))
        {
            await first.WaitForLineAsync("ready", StartTimeout);
            first.Kill();
        }

        // The owner is dead; a short-lived engine raises Second, which the instances do not wait for yet, and dies
        // by SIGKILL too: RaiseEventAsync returning must mean the event is durable.
        await using (var raiser = ChildHost.Start(arguments with { Mode = HostMode.Raise, EventName = EventsScenario.Second }))
        {
            await raiser.WaitForLineAsync("raised", StartTimeout);
            raiser.Kill();
        }

        var resultsPath = Path.Combine(database.Directory, "results.json");
        await using (var last = ChildHost.Start(arguments with { EventName = EventsScenario.First, ResultsPath = resultsPath }))
        {
            Assert.Equal(0, await last.WaitForExitAsync(FinishTimeout));
        }

        var results = InstanceResult.Read(resultsPath);
        Assert.Equal(instances, results.Count);
        for (var i = 0; i < instances; i++)
        {
            var result = results[i];
            Assert.Equal(OrchestrationRuntimeStatus.Completed, result.Status);
            Assert.Equal(EventsScenario.Expected(i), JsonSerializer.Deserialize<string>(result.SerializedOutput!, DurableJson.Options));
        }
    }

    /// <summary><paramref name="timeout"/>, cut to what is left of <see cref="Budget"/>.</summary>
    private static TimeSpan Within(Stopwatch clock, TimeSpan timeout)
    {
        var left = Budget - clock.Elapsed;
        return left <= TimeSpan.Zero
            ? throw new TimeoutException($"The recovery test ran out of its {Budget.TotalMinutes} minute budget.")
            : left < timeout ? left : timeout;
    }
}
