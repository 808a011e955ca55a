using System.Collections.Concurrent;
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
    public async Task EpisodesAndActivities_AreSpansOfTheCallersTrace_AcrossARestart_AndReplayAddsNone()
    {
        var instanceId = $"spans-{Guid.NewGuid():N}";
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == DurableTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = span =>
            {
                // Listeners are process-wide: other tests' engines report here too.
                if ((span.GetTagItem("durabletask.task.instance_id") as string) == instanceId)
                {
                    spans.Enqueue(span);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        using var database = new TempDatabase();
        ActivityTraceId traceId;
        await using (var first = await EngineHost.StartAsync(Registrations.All, databasePath: database.Path))
        {
            using (var caller = new Activity("caller") { ActivityTraceFlags = ActivityTraceFlags.Recorded }.SetIdFormat(ActivityIdFormat.W3C).Start())
            {
                traceId = caller.TraceId;
                await first.Client.ScheduleNewOrchestrationInstanceAsync(nameof(StepWaitStep), instanceId, instanceId);
            }

            await Poll.UntilAsync(() => Sql.History(database.Path, instanceId).Any(e => e.Kind == HistoryEventKind.ActivityCompleted), EngineHost.DefaultTimeout, "the first step recorded");
        }

        await using (var second = await EngineHost.StartAsync(Registrations.All, databasePath: database.Path))
        {
            // Delivering the event replays the first two episodes in this new engine: no spans for them.
            await second.Client.RaiseEventAsync(instanceId, "Go", "go");
            Assert.Equal(OrchestrationRuntimeStatus.Completed, (await second.CompletionAsync(instanceId)).RuntimeStatus);
        }

        var all = spans.ToList();
        Assert.All(all, s => Assert.Equal(traceId, s.TraceId));
        var episodes = all.Where(s => s.DisplayName == $"orchestration:{nameof(StepWaitStep)}").ToList();
        var activities = all.Where(s => s.DisplayName == $"activity:{nameof(AddOne)}").ToList();
        Assert.Equal(4, episodes.Count);
        Assert.Equal(2, activities.Count);
        Assert.Equal(all.Count, episodes.Count + activities.Count);
        Assert.All(activities, a => Assert.Contains(episodes, e => e.SpanId == a.ParentSpanId));
        Assert.DoesNotContain(all, s => s.TagObjects.Any(t => t.Value is string text && text.Contains("go", StringComparison.Ordinal) && t.Key != "durabletask.task.instance_id"));
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
