using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WabaOrchestrator.Durable.Sqlite.Tests.Infrastructure;
using WabaOrchestrator.Durable.Sqlite.Tests.Workflows;

namespace WabaOrchestrator.Durable.Sqlite.Tests;

public sealed class ReplayTests
{
    [Fact]
    public async Task ReplaySafeLogger_LogsEachLineOnce_AndIsReplayingIsTrueOnlyForRecordedSteps()
    {
        var logs = new ListLoggerProvider();
        var observations = new ReplayObservations();
        await using var host = await EngineHost.StartAsync(
            b => Registrations.All(b.AddOrchestrator<LogsEachStep>()),
            configure: o => o.MaxCachedInstances = 1,
            services: s => s.AddSingleton(observations).AddLogging(l => l.AddProvider(logs)));
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(LogsEachStep), "logged", "logged");
        await host.WaitForCustomStatusAsync("logged", s => s == "\"waiting\"");
        await host.RunAsync(nameof(Chain), "evictor", new StepInput("evictor", 2));

        await host.Client.RaiseEventAsync("logged", "Go");
        await host.CompletionAsync("logged");

        Assert.Equal(["step 0", "step 1", "step 2", "finished"], logs.Lines.Where(l => l.StartsWith("step", StringComparison.Ordinal) || l == "finished"));
        // First run: three steps live. After eviction, the rebuild replays them, then the event is live again.
        Assert.Equal([false, false, false, true, true, true, false], observations.IsReplayingAfterEachStep);
    }

    public sealed class ReplayObservations
    {
        public ConcurrentQueue<bool> IsReplayingAfterEachStep { get; } = new();
    }

    public sealed class LogsEachStep(ReplayObservations observations) : Orchestrator<string, string>
    {
        public override async Task<string> RunAsync(IOrchestrationContext context, string key)
        {
            var logger = context.CreateReplaySafeLogger("Tests.LogsEachStep");
            for (var i = 0; i < 3; i++)
            {
                await context.CallActivityAsync<int>(nameof(AddOne), new StepInput(key, i));
                observations.IsReplayingAfterEachStep.Enqueue(context.IsReplaying);
                logger.LogInformation("step {Step}", i);
            }

            context.SetCustomStatus("waiting");
            await context.WaitForExternalEvent<object?>("Go");
            observations.IsReplayingAfterEachStep.Enqueue(context.IsReplaying);
            logger.LogInformation("finished");
            return "done";
        }
    }
}
