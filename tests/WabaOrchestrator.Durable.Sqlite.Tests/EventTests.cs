using WabaOrchestrator.Durable.Sqlite.Tests.Infrastructure;
using WabaOrchestrator.Durable.Sqlite.Tests.Workflows;

namespace WabaOrchestrator.Durable.Sqlite.Tests;

public sealed class EventTests
{
    [Fact]
    public async Task EventsRaisedBeforeTheWait_AreBuffered_AndDeliveredInRaiseOrder()
    {
        await using var host = await EngineHost.StartAsync(Registrations.All);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(StepWaitStep), "buffered", "buffered");
        await host.Client.RaiseEventAsync("buffered", "Go", "early");

        var done = await host.CompletionAsync("buffered");

        Assert.Equal("early:2", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task SeveralEvents_ArriveInRaiseOrder_WithCaseInsensitiveNames()
    {
        await using var host = await EngineHost.StartAsync(Registrations.All);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(CollectEvents), "ordered", 5);

        await host.Client.RaiseEventAsync("ordered", "item", "1");
        await host.Client.RaiseEventAsync("ordered", "ITEM", "2");
        await host.Client.RaiseEventAsync("ordered", "Item", "3");
        await host.WaitForCustomStatusAsync("ordered", s => s == "{\"received\":3}");
        await host.Client.RaiseEventAsync("ordered", "iTem", "4");
        await host.Client.RaiseEventAsync("ordered", "Item", "5");
        var done = await host.CompletionAsync("ordered");

        Assert.Equal(["1", "2", "3", "4", "5"], done.ReadOutputAs<List<string>>()!);
    }

    [Fact]
    public async Task CancelledWait_CompletesAsCancelled_AndDoesNotConsumeTheNextEvent()
    {
        await using var host = await EngineHost.StartAsync(Registrations.All);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(CancelledWait), "cancelled-wait");
        await host.WaitForCustomStatusAsync("cancelled-wait", s => s is not null);

        await host.Client.RaiseEventAsync("cancelled-wait", "Code", "123456");
        var done = await host.CompletionAsync("cancelled-wait");

        Assert.Equal("cancelled:123456", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task RaiseEvent_ToUnknownInstance_IsNotFound_AndToAFinishedOne_IsNotRunning()
    {
        await using var host = await EngineHost.StartAsync(Registrations.All);
        await host.RunAsync(nameof(Chain), "finished", new StepInput("finished", 1));

        var missing = await Assert.ThrowsAsync<OrchestrationNotFoundException>(() => host.Client.RaiseEventAsync("nobody", "Go"));
        var finished = await Assert.ThrowsAsync<OrchestrationNotRunningException>(() => host.Client.RaiseEventAsync("finished", "Go"));

        Assert.Equal("nobody", missing.InstanceId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, finished.Status);
    }

    [Fact]
    public async Task RaiseEvent_IsPersistedBeforeItReturns()
    {
        await using var host = await EngineHost.StartAsync(Registrations.All);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(CollectEvents), "persisted", 3);

        await host.Client.RaiseEventAsync("persisted", "Item", "only-one");

        var raised = Sql.History(host.DatabasePath, "persisted").Where(e => e.Kind == HistoryEventKind.EventRaised).ToList();
        Assert.Equal("\"only-one\"", Assert.Single(raised).Data);
    }
}
