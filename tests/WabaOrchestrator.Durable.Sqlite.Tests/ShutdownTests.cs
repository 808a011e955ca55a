using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WabaOrchestrator.Durable.Sqlite.Tests.Infrastructure;
using WabaOrchestrator.Durable.Sqlite.Tests.Workflows;

namespace WabaOrchestrator.Durable.Sqlite.Tests;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Stop_WaitsForTheRunningActivity_CommitsItsResult_AndRefusesNewWorkMeanwhile()
    {
        using var database = new TempDatabase();
        var first = await EngineHost.StartAsync(Registrations.All, databasePath: database.Path);
        await first.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Gated), "drain", "drain");
        await Poll.UntilAsync(() => first.Counter()["drain"] == 1, EngineHost.DefaultTimeout, "gated activity started");

        var stopping = first.StopAsync();
        await Poll.UntilAsync(() => !first.Engine().IsRunning, EngineHost.DefaultTimeout, "engine stops taking work");
        var refused = await Assert.ThrowsAsync<DurableStoreUnavailableException>(() => first.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Chain), "too-late", new StepInput("too-late", 1)));
        Assert.Equal(DurableStoreFailure.Stopped, refused.Reason);
        Assert.False(stopping.IsCompleted, "Stop returned while the activity was still running.");

        first.Services.GetRequiredService<ActivityGate>().Open();
        await stopping.WaitAsync(EngineHost.DefaultTimeout);

        Assert.Single(Sql.History(database.Path, "drain"), e => e.Kind == HistoryEventKind.ActivityCompleted);
        Assert.Equal(0, Sql.Count(database.Path, "instances", "instance_id = 'too-late'"));
        await using var second = await EngineHost.StartAsync(Registrations.All, databasePath: database.Path);
        var done = await second.CompletionAsync("drain");
        Assert.Equal(70, done.ReadOutputAs<int>());
        Assert.Equal(0, second.Counter()["drain"]);
    }

    [Fact]
    public async Task Stop_BeyondTheShutdownTimeout_CancelsTheActivity_WhichRunsAgainAfterRestart()
    {
        using var database = new TempDatabase();
        var first = await EngineHost.StartAsync(
            Registrations.All,
            databasePath: database.Path,
            services: s => s.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(200)));
        await first.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Gated), "overdue", "overdue");
        await Poll.UntilAsync(() => first.Counter()["overdue"] == 1, EngineHost.DefaultTimeout, "gated activity started");

        // The gate never opens: only the shutdown timeout can end the stop.
        await first.StopAsync().WaitAsync(EngineHost.DefaultTimeout);

        Assert.DoesNotContain(Sql.History(database.Path, "overdue"), e => e.Kind == HistoryEventKind.ActivityCompleted);
        await using var second = await EngineHost.StartAsync(Registrations.All, databasePath: database.Path);
        second.Services.GetRequiredService<ActivityGate>().Open();
        var done = await second.CompletionAsync("overdue");
        Assert.Equal(70, done.ReadOutputAs<int>());
        Assert.Equal(1, second.Counter()["overdue"]);
    }
}
