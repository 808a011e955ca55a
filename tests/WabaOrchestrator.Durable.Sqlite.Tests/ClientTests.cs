using WabaOrchestrator.Durable.Sqlite.Tests.Infrastructure;
using WabaOrchestrator.Durable.Sqlite.Tests.Workflows;

namespace WabaOrchestrator.Durable.Sqlite.Tests;

public sealed class ClientTests
{
    [Fact]
    public async Task Start_WithARunningId_IsRefused_AndNothingChanges()
    {
        await using var host = await EngineHost.StartAsync(Registrations.All);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(WaitForStop), "busy", "first");

        var refused = await Assert.ThrowsAsync<OrchestrationAlreadyExistsException>(
            () => host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(WaitForStop), "busy", "second"));

        Assert.Equal("busy", refused.InstanceId);
        var state = await host.Client.GetInstanceAsync("busy", getInputsAndOutputs: true);
        Assert.Equal("\"first\"", state!.SerializedInput);
    }

    [Fact]
    public async Task Start_WithAFinishedId_StartsAFreshInstance_AndDropsTheOldHistory()
    {
        await using var host = await EngineHost.StartAsync(Registrations.All);
        await host.RunAsync(nameof(Chain), "again", new StepInput("again-1", 3));

        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Chain), "again", new StepInput("again-2", 1));
        var second = await host.CompletionAsync("again");

        Assert.Equal(1, second.ReadOutputAs<int>());
        var history = Sql.History(host.DatabasePath, "again");
        Assert.Single(history, e => e.Kind == HistoryEventKind.ExecutionStarted);
        Assert.Single(history, e => e.Kind == HistoryEventKind.ActivityScheduled);
    }

    [Fact]
    public async Task Start_WithAnUnknownOrchestrator_ThrowsUnknownTaskException()
    {
        await using var host = await EngineHost.StartAsync(Registrations.All);

        var error = await Assert.ThrowsAsync<UnknownTaskException>(() => host.Client.ScheduleNewOrchestrationInstanceAsync("NoSuchOrchestrator", "x"));

        Assert.Equal("NoSuchOrchestrator", error.TaskName);
        Assert.Null(await host.Client.GetInstanceAsync("x"));
    }

    [Fact]
    public async Task Start_WithInputThatDoesNotSerialise_ThrowsArgumentException_AndPersistsNothing()
    {
        await using var host = await EngineHost.StartAsync(Registrations.All);
        var cyclic = new Node();
        cyclic.Next = cyclic;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(WaitForStop), "bad-input", cyclic));

        Assert.Equal("input", error.ParamName);
        Assert.Null(await host.Client.GetInstanceAsync("bad-input"));
    }

    [Fact]
    public async Task CustomStatus_OverSixteenKilobytes_FailsTheOrchestratorWithAClearMessage()
    {
        await using var host = await EngineHost.StartAsync(Registrations.All);

        var fits = await host.RunAsync(nameof(BigStatus), "status-fits", DurableLimits.MaxCustomStatusBytes - 2);
        var tooBig = await host.RunAsync(nameof(BigStatus), "status-too-big", DurableLimits.MaxCustomStatusBytes);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, fits.RuntimeStatus);
        Assert.Equal(DurableLimits.MaxCustomStatusBytes, fits.SerializedCustomStatus!.Length);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, tooBig.RuntimeStatus);
        Assert.Equal(typeof(ArgumentException).FullName, tooBig.FailureDetails!.ErrorType);
        Assert.StartsWith("Custom status is 16386 bytes of JSON; the limit is 16384 bytes.", tooBig.FailureDetails.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Terminate_EndsARunningInstance_AndLeavesAFinishedOneAlone()
    {
        await using var host = await EngineHost.StartAsync(Registrations.All);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(WaitForStop), "to-terminate");

        await host.Client.TerminateInstanceAsync("to-terminate", "operator said so");
        var terminated = await host.CompletionAsync("to-terminate");
        await host.Client.TerminateInstanceAsync("to-terminate", "again");

        Assert.Equal(OrchestrationRuntimeStatus.Terminated, terminated.RuntimeStatus);
        Assert.Equal("operator said so", terminated.ReadOutputAs<string>());
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await host.Client.GetInstanceAsync("to-terminate"))!.RuntimeStatus);
        await Assert.ThrowsAsync<OrchestrationNotRunningException>(() => host.Client.RaiseEventAsync("to-terminate", "Stop", "late"));
        await Assert.ThrowsAsync<OrchestrationNotFoundException>(() => host.Client.TerminateInstanceAsync("nobody"));
    }

    [Fact]
    public async Task Purge_DeletesFinishedInstances_AndReturnsFalseForRunningOrUnknownOnes()
    {
        await using var host = await EngineHost.StartAsync(Registrations.All);
        await host.RunAsync(nameof(Chain), "done", new StepInput("done", 2));
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(WaitForStop), "running");

        Assert.True(await host.Client.PurgeInstanceAsync("done"));
        Assert.False(await host.Client.PurgeInstanceAsync("running"));
        Assert.False(await host.Client.PurgeInstanceAsync("done"));
        Assert.False(await host.Client.PurgeInstanceAsync("nobody"));

        Assert.Null(await host.Client.GetInstanceAsync("done"));
        Assert.Empty(Sql.History(host.DatabasePath, "done"));
        Assert.NotNull(await host.Client.GetInstanceAsync("running"));
    }

    [Fact]
    public async Task Query_FiltersByStatusNamePrefixAndCreatedRange_AndPagesNewestFirst()
    {
        var time = new ManualTimeProvider();
        await using var host = await EngineHost.StartAsync(Registrations.All, time);
        var t0 = time.GetUtcNow();
        for (var i = 0; i < 5; i++)
        {
            await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(WaitForStop), $"waba-44{i}");
            time.Advance(TimeSpan.FromMinutes(1));
        }

        for (var i = 0; i < 3; i++)
        {
            await host.RunAsync(nameof(Chain), $"chain-{i}", new StepInput($"q{i}", 1));
            time.Advance(TimeSpan.FromMinutes(1));
        }

        var running = await host.Client.QueryInstancesAsync(new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Running] });
        var chains = await host.Client.QueryInstancesAsync(new OrchestrationQuery { Name = nameof(Chain), Statuses = [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed] });
        var prefixed = await host.Client.QueryInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "waba-" });
        var window = await host.Client.QueryInstancesAsync(new OrchestrationQuery { CreatedFrom = t0.AddMinutes(1), CreatedTo = t0.AddMinutes(3) });

        Assert.Equal(["waba-444", "waba-443", "waba-442", "waba-441", "waba-440"], running.Instances.Select(i => i.InstanceId));
        Assert.Equal(["chain-2", "chain-1", "chain-0"], chains.Instances.Select(i => i.InstanceId));
        Assert.Equal(5, prefixed.Instances.Count);
        Assert.Equal(["waba-443", "waba-442", "waba-441"], window.Instances.Select(i => i.InstanceId));
        Assert.All(running.Instances, i => Assert.Null(i.SerializedInput));

        var pages = new List<string>();
        string? token = null;
        var pageCount = 0;
        do
        {
            var page = await host.Client.QueryInstancesAsync(new OrchestrationQuery { PageSize = 3, ContinuationToken = token, FetchInputsAndOutputs = true });
            pages.AddRange(page.Instances.Select(i => i.InstanceId));
            token = page.ContinuationToken;
            pageCount++;
        }
        while (token is not null);

        Assert.Equal(3, pageCount);
        Assert.Equal(["chain-2", "chain-1", "chain-0", "waba-444", "waba-443", "waba-442", "waba-441", "waba-440"], pages);
    }

    [Fact]
    public async Task Query_WithBadPageSizeOrToken_ThrowsNamingTheField()
    {
        await using var host = await EngineHost.StartAsync(Registrations.All);

        var size = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => host.Client.QueryInstancesAsync(new OrchestrationQuery { PageSize = 0 }));
        var token = await Assert.ThrowsAsync<ArgumentException>(() => host.Client.QueryInstancesAsync(new OrchestrationQuery { ContinuationToken = "not a token" }));

        Assert.Contains("PageSize", size.Message, StringComparison.Ordinal);
        Assert.Contains("ContinuationToken", token.Message, StringComparison.Ordinal);
    }

    private sealed class Node
    {
        public Node? Next { get; set; }
    }
}
