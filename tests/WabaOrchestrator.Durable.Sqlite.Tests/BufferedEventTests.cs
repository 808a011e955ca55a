using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WabaOrchestrator.Durable.Sqlite.Tests.Infrastructure;
using WabaOrchestrator.Durable.Sqlite.Tests.Workflows;

namespace WabaOrchestrator.Durable.Sqlite.Tests;

public sealed class BufferedEventTests
{
    [Fact]
    public async Task EventsBeyondMaxBufferedEvents_AreDroppedAndCounted_AndTheAwaitedEventStillArrives()
    {
        var logs = new ListLoggerProvider();
        await using var host = await EngineHost.StartAsync(
            Registrations.All,
            configure: o => o.MaxBufferedEvents = 3,
            services: s => s.AddLogging(b => b.AddProvider(logs)));
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(WaitForStop), "flooded");

        // Nobody waits for "Noise": the first three are buffered, the rest dropped; every caller is answered normally.
        for (var i = 0; i < 5; i++)
        {
            await host.Client.RaiseEventAsync("flooded", "Noise", $"secret-payload-{i}");
        }

        var health = host.Services.GetRequiredService<SqliteDurableEngineHealth>();
        Assert.Equal(2, health.DroppedEvents("flooded"));
        Assert.Equal(3, Sql.History(host.DatabasePath, "flooded").Count(e => e.Kind == HistoryEventKind.EventRaised));
        var report = await health.CheckAsync();
        Assert.True(report.Healthy, report.Description);
        Assert.Equal(2L, report.Data["droppedEvents"]);
        var warnings = logs.Lines.Where(l => l.Contains("dropped event", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Contains("Noise", w, StringComparison.Ordinal));
        Assert.All(warnings, w => Assert.Contains("flooded", w, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("secret-payload", StringComparison.Ordinal));

        // An event the instance waits for is never buffered, so a full buffer does not block it.
        await host.Client.RaiseEventAsync("flooded", "Stop", "done");
        var done = await host.CompletionAsync("flooded");
        Assert.Equal("done", done.ReadOutputAs<string>());
    }
}
