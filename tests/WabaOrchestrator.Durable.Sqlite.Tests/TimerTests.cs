using WabaOrchestrator.Durable.Sqlite.Tests.Infrastructure;
using WabaOrchestrator.Durable.Sqlite.Tests.Workflows;

namespace WabaOrchestrator.Durable.Sqlite.Tests;

public sealed class TimerTests
{
    [Fact]
    public async Task Timer_FiresOnlyWhenTimeReachesItsDueTime()
    {
        var time = new ManualTimeProvider();
        await using var host = await EngineHost.StartAsync(Registrations.All, time);
        var start = time.GetUtcNow().UtcDateTime;
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Sleeper), "sleeper", 60);
        await Poll.UntilAsync(() => host.Engine().ScheduledTimerCount == 1, EngineHost.DefaultTimeout, "timer scheduled");

        time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.Client.GetInstanceAsync("sleeper"))!.RuntimeStatus);
        Assert.Equal(1, host.Engine().ScheduledTimerCount);

        time.Advance(TimeSpan.FromMinutes(1));
        var done = await host.CompletionAsync("sleeper");

        Assert.Equal($"{start:O}|{start.AddMinutes(60):O}", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Timer_WhenTheClockMovesWhileTheSchedulerArmsItsSleep_StillFiresAtItsDueTime()
    {
        var time = new ManualTimeProvider();
        var moved = 0;
        // The scheduler computes its sleep from the clock, then arms it: move the clock in between, once.
        time.OnCreateTimer = due =>
        {
            if (due == TimeSpan.FromMinutes(60) && Interlocked.Exchange(ref moved, 1) == 0)
            {
                time.Advance(TimeSpan.FromMinutes(59));
            }
        };
        await using var host = await EngineHost.StartAsync(Registrations.All, time);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Sleeper), "sleeper", 60);
        await Poll.UntilAsync(() => Volatile.Read(ref moved) == 1, EngineHost.DefaultTimeout, "the sleep armed while the clock moved");

        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.CompletionAsync("sleeper")).RuntimeStatus);
    }

    [Fact]
    public async Task Race_EventBeforeTimeout_WinsAndTheTimerNeverFires()
    {
        var time = new ManualTimeProvider();
        await using var host = await EngineHost.StartAsync(Registrations.All, time);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ApprovalRace), "race-event", 5);
        await host.WaitForCustomStatusAsync("race-event", s => s is not null);

        await host.Client.RaiseEventAsync("race-event", "Approve", "yes");
        var done = await host.CompletionAsync("race-event");

        Assert.Equal("approved:yes", done.ReadOutputAs<string>());
        Assert.Equal(0, host.Engine().ScheduledTimerCount);
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.Client.GetInstanceAsync("race-event"))!.RuntimeStatus);
    }

    [Fact]
    public async Task Race_TimeoutBeforeEvent_TimesOut_AndTheLateEventIsRefused()
    {
        var time = new ManualTimeProvider();
        await using var host = await EngineHost.StartAsync(Registrations.All, time);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ApprovalRace), "race-timer", 5);
        await Poll.UntilAsync(() => host.Engine().ScheduledTimerCount == 1, EngineHost.DefaultTimeout, "timer scheduled");

        time.Advance(TimeSpan.FromMinutes(5));
        var done = await host.CompletionAsync("race-timer");

        Assert.Equal("timed-out", done.ReadOutputAs<string>());
        var late = await Assert.ThrowsAsync<OrchestrationNotRunningException>(() => host.Client.RaiseEventAsync("race-timer", "Approve", "too late"));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, late.Status);
    }

    [Fact]
    public async Task CancelledTimer_IsUnscheduledAndDeleted_SoItNeverFires()
    {
        var time = new ManualTimeProvider();
        await using var host = await EngineHost.StartAsync(Registrations.All, time);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ApprovalRace), "cancelled-timer", 5);
        await host.WaitForCustomStatusAsync("cancelled-timer", s => s is not null);
        await host.Client.RaiseEventAsync("cancelled-timer", "Approve", "ok");
        await host.CompletionAsync("cancelled-timer");

        Assert.Equal(0, host.Engine().ScheduledTimerCount);
        Assert.Equal(0, Sql.Count(host.DatabasePath, "timers"));
        Assert.DoesNotContain(Sql.History(host.DatabasePath, "cancelled-timer"), e => e.Kind == HistoryEventKind.TimerFired);
    }

    [Fact]
    public async Task Race_CancelledWithCancelAsync_StillEndsTheEpisodeDeterministically()
    {
        var time = new ManualTimeProvider();
        await using var host = await EngineHost.StartAsync(Registrations.All, time);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ApprovalRaceCancelAsync), "cancel-async-event", 5);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ApprovalRaceCancelAsync), "cancel-async-timer", 5);
        await host.WaitForCustomStatusAsync("cancel-async-event", s => s is not null);
        await Poll.UntilAsync(() => host.Engine().ScheduledTimerCount == 2, EngineHost.DefaultTimeout, "both timers scheduled");

        await host.Client.RaiseEventAsync("cancel-async-event", "Approve", "yes");
        var approved = await host.CompletionAsync("cancel-async-event");
        time.Advance(TimeSpan.FromMinutes(5));
        var timedOut = await host.CompletionAsync("cancel-async-timer");

        Assert.Equal("approved:yes|then:1", approved.ReadOutputAs<string>());
        Assert.Equal("timed-out|then:1", timedOut.ReadOutputAs<string>());
        Assert.Equal(0, host.Engine().ScheduledTimerCount);
    }
}
