using WabaOrchestrator.Durable.Sqlite.Tests.Infrastructure;
using WabaOrchestrator.Durable.Sqlite.Tests.Workflows;

namespace WabaOrchestrator.Durable.Sqlite.Tests;

public sealed class ActivityTests
{
    [Fact]
    public async Task Chain_RunsEachActivityOncePerScheduling_AndReturnsTheResult()
    {
        await using var host = await EngineHost.StartAsync(Registrations.All);

        var done = await host.RunAsync(nameof(Chain), "chain-1", new StepInput("chain-1", 10));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(10, done.ReadOutputAs<int>());
        Assert.Equal(10, host.Counter()["chain-1"]);
        Assert.Equal("{\"step\":10}", done.SerializedCustomStatus);
    }

    [Fact]
    public async Task Replay_AfterEviction_ReusesRecordedResults()
    {
        // A cache of one instance: the other instance's traffic evicts it, so the event forces a full replay.
        await using var host = await EngineHost.StartAsync(Registrations.All, configure: o => o.MaxCachedInstances = 1);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(StepWaitStep), "replayed", "replayed");
        await Poll.UntilAsync(() => host.Counter()["replayed:first"] == 1, EngineHost.DefaultTimeout, "first step ran");
        await host.RunAsync(nameof(Chain), "evictor", new StepInput("evictor", 3));

        await host.Client.RaiseEventAsync("replayed", "Go", "go");
        var done = await host.CompletionAsync("replayed");

        Assert.Equal("go:2", done.ReadOutputAs<string>());
        Assert.Equal(1, host.Counter()["replayed:first"]);
        Assert.Equal(1, host.Counter()["replayed:second"]);
    }

    [Fact]
    public async Task Retry_RunsTheActivityAgainAfterDurableTimers_UntilItSucceeds()
    {
        var time = new ManualTimeProvider();
        await using var host = await EngineHost.StartAsync(Registrations.All, time);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(RetryingCall), "retry-ok", new RetryInput("retry-ok", Failures: 2, Attempts: 5));

        // First attempt fails, then the retry waits on a durable timer (1 min, then 2 min): nothing runs until time moves.
        await Poll.UntilAsync(() => host.Counter()["retry-ok"] == 1, EngineHost.DefaultTimeout, "first attempt");
        await AssertTimerPending(host, 1);
        time.Advance(TimeSpan.FromMinutes(1));
        await Poll.UntilAsync(() => host.Counter()["retry-ok"] == 2, EngineHost.DefaultTimeout, "second attempt");
        await AssertTimerPending(host, 1);
        time.Advance(TimeSpan.FromMinutes(2));
        var done = await host.CompletionAsync("retry-ok");

        Assert.Equal("ok:3", done.ReadOutputAs<string>());
        Assert.Equal(3, host.Counter()["retry-ok"]);
    }

    [Fact]
    public async Task Retry_GivesUpAfterMaxAttempts_WithActivityFailedException()
    {
        var time = new ManualTimeProvider();
        await using var host = await EngineHost.StartAsync(Registrations.All, time);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(RetryingCall), "retry-spent", new RetryInput("retry-spent", Failures: 10, Attempts: 3));

        for (var attempt = 1; attempt < 3; attempt++)
        {
            var expected = attempt;
            await Poll.UntilAsync(() => host.Counter()["retry-spent"] == expected, EngineHost.DefaultTimeout, $"attempt {expected}");
            await AssertTimerPending(host, 1);
            time.Advance(TimeSpan.FromMinutes(10));
        }

        var done = await host.CompletionAsync("retry-spent");

        Assert.Equal("failed:FlakyStep:System.InvalidOperationException:Run 3 of retry-spent fails on purpose.", done.ReadOutputAs<string>());
        Assert.Equal(3, host.Counter()["retry-spent"]);
    }

    [Fact]
    public async Task ActivityException_FailsTheInstanceWithFailureDetails()
    {
        await using var host = await EngineHost.StartAsync(Registrations.All);

        var done = await host.RunAsync(nameof(FailsOnActivity), "fails", "fails");

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(typeof(ActivityFailedException).FullName, done.FailureDetails!.ErrorType);
        Assert.Contains("Activity 'FlakyStep' failed: System.InvalidOperationException: Run 1 of fails fails on purpose.", done.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.NotNull(done.FailureDetails.StackTrace);
    }

    [Fact]
    public async Task UnknownActivity_FailsThatActivity_WithUnknownTaskException()
    {
        await using var host = await EngineHost.StartAsync(Registrations.All);

        var done = await host.RunAsync(nameof(CallsUnknownActivity), "unknown-activity");

        Assert.Equal(typeof(UnknownTaskException).FullName, done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task OrchestratorException_FailsOnlyThatInstance()
    {
        await using var host = await EngineHost.StartAsync(Registrations.All);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Throws), "thrower", "thrower");
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Chain), "bystander", new StepInput("bystander", 5));

        var failed = await host.CompletionAsync("thrower");
        var bystander = await host.CompletionAsync("bystander");

        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
        Assert.Equal("System.InvalidOperationException", failed.FailureDetails!.ErrorType);
        Assert.Equal("Orchestrator thrower gave up.", failed.FailureDetails.ErrorMessage);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, bystander.RuntimeStatus);
        Assert.Equal(5, bystander.ReadOutputAs<int>());
    }

    private static Task AssertTimerPending(EngineHost host, int count) =>
        Poll.UntilAsync(() => host.Engine().ScheduledTimerCount == count, EngineHost.DefaultTimeout, $"{count} timer(s) scheduled");
}
