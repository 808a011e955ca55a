using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WabaOrchestrator.Durable.Sqlite.Tests.Infrastructure;
using WabaOrchestrator.Durable.Sqlite.Tests.Workflows;

namespace WabaOrchestrator.Durable.Sqlite.Tests;

public sealed class RestartTests
{
    [Fact]
    public async Task NewEngineOnTheSameFile_ResumesInstancesTimersBufferedEventsAndPendingActivities()
    {
        using var database = new TempDatabase();
        var start = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

        // The gated activity never finishes here: a short shutdown timeout cancels it instead of waiting the default 30 s.
        await using (var first = await EngineHost.StartAsync(
            Registrations.All,
            new ManualTimeProvider(start),
            database.Path,
            services: s => s.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(100))))
        {
            await first.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ResumeEverything), "everything", "everything");
            await first.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Sleeper), "sleeper", 60);
            await first.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Gated), "gated", "gated");
            await Poll.UntilAsync(() => first.Engine().ScheduledTimerCount == 2, EngineHost.DefaultTimeout, "both timers scheduled");
            await Poll.UntilAsync(() => first.Counter()["gated"] == 1, EngineHost.DefaultTimeout, "gated activity started");
            await first.Client.RaiseEventAsync("everything", "E", "first");
        }

        var time = new ManualTimeProvider(start);
        await using var second = await EngineHost.StartAsync(Registrations.All, time, database.Path);
        second.Services.GetRequiredService<ActivityGate>().Open();

        // The activity that was still in flight at the first engine's shutdown timeout runs again (at least once) and is recorded once.
        var gated = await second.CompletionAsync("gated");
        Assert.Equal(70, gated.ReadOutputAs<int>());
        Assert.Equal(1, second.Counter()["gated"]);
        Assert.Single(Sql.History(database.Path, "gated"), e => e.Kind == HistoryEventKind.ActivityCompleted);

        Assert.Equal(2, second.Engine().ScheduledTimerCount);
        time.Advance(TimeSpan.FromMinutes(60));
        var sleeper = await second.CompletionAsync("sleeper");
        Assert.Equal($"{start.UtcDateTime:O}|{start.UtcDateTime.AddMinutes(60):O}", sleeper.ReadOutputAs<string>());

        await Poll.UntilAsync(
            () => Sql.History(database.Path, "everything").Any(e => e.Kind == HistoryEventKind.TimerFired),
            EngineHost.DefaultTimeout,
            "timer of 'everything' fired");
        await second.Client.RaiseEventAsync("everything", "e", "second");
        var everything = await second.CompletionAsync("everything");

        Assert.Equal("1|first|second|10", everything.ReadOutputAs<string>());
        Assert.Equal(0, second.Counter()["everything:a"]);
    }

    [Fact]
    public async Task SecondEngineOnTheSameFile_IsRefusedWithAClearError()
    {
        await using var first = await EngineHost.StartAsync(Registrations.All);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => EngineHost.StartAsync(Registrations.All, databasePath: first.DatabasePath));

        Assert.Contains("already in use by another engine", refused.Message, StringComparison.Ordinal);
        var stillWorks = await first.RunAsync(nameof(Chain), "after-refusal", new StepInput("after-refusal", 2));
        Assert.Equal(2, stillWorks.ReadOutputAs<int>());
    }

    [Fact]
    public async Task OrchestratorCodeChangedBetweenRuns_FailsTheInstanceWithANonDeterminismErrorNamingTheStep()
    {
        using var database = new TempDatabase();
        await using (var first = await EngineHost.StartAsync(b => Registrations.All(b.AddOrchestrator<EditedWorkflow>()), databasePath: database.Path))
        {
            await first.Client.ScheduleNewOrchestrationInstanceAsync(nameof(EditedWorkflow), "edited", "edited");
            await Poll.UntilAsync(
                () => Sql.History(database.Path, "edited").Any(e => e.Kind == HistoryEventKind.ActivityCompleted),
                EngineHost.DefaultTimeout,
                "first step recorded");
        }

        await using var second = await EngineHost.StartAsync(b => Registrations.All(b.AddOrchestrator<Workflows.V2.EditedWorkflow>()), databasePath: database.Path);
        await Assert.ThrowsAsync<OrchestrationNotRunningException>(() => second.Client.RaiseEventAsync("edited", "Go", "go"));
        var failed = await second.CompletionAsync("edited");

        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
        Assert.Equal(typeof(NonDeterministicOrchestrationException).FullName, failed.FailureDetails!.ErrorType);
        Assert.Contains("step 1: history has ActivityScheduled 'AddOne', code asked for CreateTimer", failed.FailureDetails.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TinyCache_EvictsAndReplays_AndEveryInstanceStillCompletes()
    {
        await using var host = await EngineHost.StartAsync(Registrations.All, configure: o => o.MaxCachedInstances = 2);
        var ids = Enumerable.Range(0, 20).Select(i => $"evict-{i}").ToList();
        foreach (var id in ids)
        {
            await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(StepWaitStep), id, id);
        }

        await Poll.UntilAsync(() => ids.All(id => host.Counter()[id + ":first"] == 1), EngineHost.DefaultTimeout, "all first steps");
        foreach (var id in ids)
        {
            await host.Client.RaiseEventAsync(id, "Go", id);
        }

        foreach (var id in ids)
        {
            var done = await host.CompletionAsync(id);
            Assert.Equal($"{id}:2", done.ReadOutputAs<string>());
            Assert.Equal(1, host.Counter()[id + ":first"]);
            Assert.Equal(1, host.Counter()[id + ":second"]);
        }
    }
}
