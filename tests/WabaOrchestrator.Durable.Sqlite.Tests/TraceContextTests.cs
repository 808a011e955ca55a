using System.Diagnostics;
using WabaOrchestrator.Durable.Sqlite.Tests.Infrastructure;
using WabaOrchestrator.Durable.Sqlite.Tests.Workflows;

namespace WabaOrchestrator.Durable.Sqlite.Tests;

public sealed class TraceContextTests
{
    [Fact]
    public async Task StartInsideARecordedSpan_StoresItsTraceparentWithTheInstance()
    {
        await using var host = await EngineHost.StartAsync(Registrations.All);
        using var caller = new Activity("caller") { ActivityTraceFlags = ActivityTraceFlags.Recorded }.SetIdFormat(ActivityIdFormat.W3C).Start();

        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Chain), "traced", new StepInput("traced", 1));

        Assert.Equal(1, Sql.Count(host.DatabasePath, "instances", $"instance_id = 'traced' AND trace_parent = '{caller.Id}'"));
    }

    [Fact]
    public async Task StartInsideAnUnsampledSpan_StoresNoTraceparent_SoTurningTracingOnLaterStillTracesIt()
    {
        await using var host = await EngineHost.StartAsync(Registrations.All);
        using var caller = new Activity("caller").SetIdFormat(ActivityIdFormat.W3C).Start();

        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Chain), "untraced", new StepInput("untraced", 1));

        Assert.Equal(1, Sql.Count(host.DatabasePath, "instances", "instance_id = 'untraced' AND trace_parent IS NULL"));
    }
}
