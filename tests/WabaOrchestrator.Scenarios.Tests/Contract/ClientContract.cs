using WabaOrchestrator.Durable;
using WabaOrchestrator.Onboarding;
using WabaOrchestrator.Scenarios.Tests.Engines;
using WabaOrchestrator.Testing;

namespace WabaOrchestrator.Scenarios.Tests.Contract;

/// <summary>
/// <see cref="IOrchestrationClient"/>'s contract, one list run on each engine (the sealed subclasses): the same call
/// returns the same fields and throws the same exceptions on the SQLite engine and on the Durable Task worker behind the
/// Functions host's client adapter. A difference is a defect of the adapter (or of the engine that is off-contract).
/// </summary>
public abstract class ClientContract : IAsyncLifetime
{
    private readonly string _prefix = $"probe-{Guid.NewGuid():N}-";
    private IOnboardingEngine _engine = null!;

    protected abstract OnboardingEngineFactory Engine { get; }

    private IOrchestrationClient Client => _engine.Client;

    public async Task InitializeAsync() => _engine = await Engine(new StackOptions());

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task GetInstance_RunningWithoutInputs_HasStatusAndCustomStatusButNoInputOrOutput()
    {
        var id = await StartAsync("waiting", waitForGo: true);
        await StartedAsync(id);

        var running = (await Client.GetInstanceAsync(id, getInputsAndOutputs: false))!;

        Assert.Equal(nameof(ProbeOrchestrator), running.Name);
        Assert.Equal(id, running.InstanceId);
        Assert.Equal(OrchestrationRuntimeStatus.Running, running.RuntimeStatus);
        Assert.Equal(new ProbeStatus("started", "waiting"), running.ReadCustomStatusAs<ProbeStatus>());
        Assert.Null(running.SerializedInput);
        Assert.Null(running.SerializedOutput);
        Assert.Null(running.FailureDetails);
        Assert.NotEqual(default, running.CreatedAt);
        Assert.True(running.CreatedAt <= running.LastUpdatedAt);

        var withInputs = (await Client.GetInstanceAsync(id, getInputsAndOutputs: true))!;
        Assert.Equal(new ProbeInput("waiting", WaitForGo: true), withInputs.ReadInputAs<ProbeInput>());
        Assert.Null(withInputs.SerializedOutput);
        Assert.Equal(running.SerializedCustomStatus, withInputs.SerializedCustomStatus);
    }

    [Fact]
    public async Task GetInstance_FailedWithOrWithoutInputs_HasTheFailureDetailsAndCustomStatusButNoOutput()
    {
        var id = await StartAsync("broken", fail: true);
        await CompletionAsync(id);

        foreach (var withInputs in new[] { false, true })
        {
            var failed = (await Client.GetInstanceAsync(id, withInputs))!;
            Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
            Assert.Equal(typeof(InvalidOperationException).FullName, failed.FailureDetails!.ErrorType);
            Assert.Equal("Probe broken failed as asked.", failed.FailureDetails.ErrorMessage);
            Assert.True(failed.FailureDetails.IsCausedBy<InvalidOperationException>());
            Assert.Equal(new ProbeStatus("started", "broken"), failed.ReadCustomStatusAs<ProbeStatus>());
            Assert.Null(failed.SerializedOutput);
            Assert.Equal(withInputs, failed.SerializedInput is not null);
        }
    }

    [Fact]
    public async Task Schedule_AnOrchestratorNobodyRegistered_IsRefusedAndNothingIsCreated()
    {
        var id = _prefix + "unregistered";

        var ex = await Assert.ThrowsAsync<UnknownTaskException>(() => Client.ScheduleNewOrchestrationInstanceAsync("NoSuchOrchestrator", id, new ProbeInput("x")));

        Assert.Equal("NoSuchOrchestrator", ex.TaskName);
        Assert.Null(await Client.GetInstanceAsync(id));
    }

    [Fact]
    public async Task GetInstance_Unknown_IsNull()
    {
        Assert.Null(await Client.GetInstanceAsync(_prefix + "nobody"));
        Assert.Null(await Client.GetInstanceAsync(_prefix + "nobody", getInputsAndOutputs: true));
    }

    [Fact]
    public async Task WaitForCompletion_WithoutInputs_HasCustomStatusButNoOutput_WithInputsTheOutputToo()
    {
        var id = await StartAsync("quick");

        var done = await CompletionAsync(id, withInputs: false);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(new ProbeStatus("done", "quick"), done.ReadCustomStatusAs<ProbeStatus>());
        Assert.Null(done.SerializedInput);
        Assert.Null(done.SerializedOutput);
        Assert.Null(done.FailureDetails);

        var withOutput = await CompletionAsync(id, withInputs: true);
        Assert.Equal(new ProbeOutput("quick", null), withOutput.ReadOutputAs<ProbeOutput>());
        Assert.Equal(new ProbeInput("quick"), withOutput.ReadInputAs<ProbeInput>());
    }

    [Fact]
    public async Task WaitForCompletion_FailedWithoutInputs_HasTheFailureDetails()
    {
        var id = await StartAsync("broken", fail: true);

        var failed = await CompletionAsync(id, withInputs: false);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
        Assert.Equal("Probe broken failed as asked.", failed.FailureDetails!.ErrorMessage);
        Assert.Equal(new ProbeStatus("started", "broken"), failed.ReadCustomStatusAs<ProbeStatus>());
    }

    [Fact]
    public async Task WaitForCompletion_UnknownInstance_ThrowsNotFound()
    {
        var ex = await Assert.ThrowsAsync<OrchestrationNotFoundException>(() => CompletionAsync(_prefix + "nobody"));
        Assert.Equal(_prefix + "nobody", ex.InstanceId);
    }

    [Fact]
    public async Task Schedule_WithTheIdOfARunningInstance_IsRefusedAndLeavesItRunning()
    {
        var id = await StartAsync("first", waitForGo: true);
        await StartedAsync(id);

        var ex = await Assert.ThrowsAsync<OrchestrationAlreadyExistsException>(() =>
            Client.ScheduleNewOrchestrationInstanceAsync(nameof(ProbeOrchestrator), id, new ProbeInput("second")));

        Assert.Equal(id, ex.InstanceId);
        var still = (await Client.GetInstanceAsync(id, getInputsAndOutputs: true))!;
        Assert.Equal(OrchestrationRuntimeStatus.Running, still.RuntimeStatus);
        Assert.Equal("first", still.ReadInputAs<ProbeInput>()!.Label);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Schedule_WithTheIdOfAFinishedInstance_StartsItAfresh(bool firstFailed)
    {
        var id = await StartAsync("first", fail: firstFailed);
        var first = await CompletionAsync(id);

        Assert.Equal(id, await Client.ScheduleNewOrchestrationInstanceAsync(nameof(ProbeOrchestrator), id, new ProbeInput("second")));

        var second = await Poll.UntilAsync(
            async () => await Client.GetInstanceAsync(id, getInputsAndOutputs: true) is { IsCompleted: true } m && m.ReadInputAs<ProbeInput>()!.Label == "second" ? m : null,
            "the second run to finish");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, second.RuntimeStatus);
        Assert.Equal(new ProbeOutput("second", null), second.ReadOutputAs<ProbeOutput>());
        Assert.Null(second.FailureDetails);
        Assert.Equal(new ProbeStatus("done", "second"), second.ReadCustomStatusAs<ProbeStatus>());
        Assert.True(second.CreatedAt >= first.CreatedAt);
    }

    [Fact]
    public async Task RaiseEvent_ToARunningInstance_IsDelivered()
    {
        var id = await StartAsync("waiting", waitForGo: true);

        // Raised at once, possibly before the orchestrator first ran: buffered until it waits.
        await Client.RaiseEventAsync(id, ProbeOrchestrator.GoEvent, "now");

        Assert.Equal(new ProbeOutput("waiting", "now"), (await CompletionAsync(id)).ReadOutputAs<ProbeOutput>());
    }

    [Fact]
    public async Task RaiseEvent_ToAnUnknownInstance_ThrowsNotFound()
    {
        var ex = await Assert.ThrowsAsync<OrchestrationNotFoundException>(() => Client.RaiseEventAsync(_prefix + "nobody", ProbeOrchestrator.GoEvent, "now"));
        Assert.Equal(_prefix + "nobody", ex.InstanceId);
    }

    [Fact]
    public async Task RaiseEvent_ToAFinishedInstance_ThrowsNotRunningWithItsStatus()
    {
        var completed = await StartAsync("quick");
        var failed = await StartAsync("broken", fail: true);
        await CompletionAsync(completed);
        await CompletionAsync(failed);

        var ex = await Assert.ThrowsAsync<OrchestrationNotRunningException>(() => Client.RaiseEventAsync(completed, ProbeOrchestrator.GoEvent, "late"));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, ex.Status);
        Assert.Equal(completed, ex.InstanceId);
        ex = await Assert.ThrowsAsync<OrchestrationNotRunningException>(() => Client.RaiseEventAsync(failed, ProbeOrchestrator.GoEvent, "late"));
        Assert.Equal(OrchestrationRuntimeStatus.Failed, ex.Status);
    }

    [Fact]
    public async Task Terminate_ARunningInstance_EndsTerminatedWithTheReasonAsOutput()
    {
        var id = await StartAsync("waiting", waitForGo: true);
        await StartedAsync(id);

        await Client.TerminateInstanceAsync(id, "operator stop");

        var terminated = await CompletionAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, terminated.RuntimeStatus);
        Assert.Equal("operator stop", terminated.ReadOutputAs<string>());
        Assert.Null(terminated.FailureDetails);
        Assert.Equal(new ProbeStatus("started", "waiting"), terminated.ReadCustomStatusAs<ProbeStatus>());
        await Assert.ThrowsAsync<OrchestrationNotRunningException>(() => Client.RaiseEventAsync(id, ProbeOrchestrator.GoEvent, "late"));
    }

    [Fact]
    public async Task Terminate_AFinishedInstance_LeavesItAsItIs()
    {
        var id = await StartAsync("quick");
        var before = await CompletionAsync(id);

        await Client.TerminateInstanceAsync(id, "too late");

        var after = (await Client.GetInstanceAsync(id, getInputsAndOutputs: true))!;
        Assert.Equal(OrchestrationRuntimeStatus.Completed, after.RuntimeStatus);
        Assert.Equal(before.SerializedOutput, after.SerializedOutput);
        Assert.Equal(before.LastUpdatedAt, after.LastUpdatedAt);
    }

    [Fact]
    public async Task Terminate_AnUnknownInstance_ThrowsNotFound()
    {
        var ex = await Assert.ThrowsAsync<OrchestrationNotFoundException>(() => Client.TerminateInstanceAsync(_prefix + "nobody", "why"));
        Assert.Equal(_prefix + "nobody", ex.InstanceId);
    }

    [Fact]
    public async Task Purge_AFinishedInstance_DeletesIt()
    {
        var completed = await StartAsync("quick");
        var failed = await StartAsync("broken", fail: true);
        await CompletionAsync(completed);
        await CompletionAsync(failed);

        Assert.True(await Client.PurgeInstanceAsync(completed));
        Assert.True(await Client.PurgeInstanceAsync(failed));

        Assert.Null(await Client.GetInstanceAsync(completed));
        Assert.Null(await Client.GetInstanceAsync(failed));
        Assert.False(await Client.PurgeInstanceAsync(completed));
        Assert.Empty((await Client.QueryInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = _prefix })).Instances);
    }

    [Fact]
    public async Task Purge_AnUnknownInstance_ReturnsFalse() =>
        Assert.False(await Client.PurgeInstanceAsync(_prefix + "nobody"));

    [Fact]
    public async Task Purge_ARunningInstance_ReturnsFalseAndKeepsIt()
    {
        var id = await StartAsync("waiting", waitForGo: true);
        await StartedAsync(id);

        Assert.False(await Client.PurgeInstanceAsync(id));

        Assert.Equal(OrchestrationRuntimeStatus.Running, (await Client.GetInstanceAsync(id))!.RuntimeStatus);
        await Client.RaiseEventAsync(id, ProbeOrchestrator.GoEvent, "still here");
        Assert.Equal("still here", (await CompletionAsync(id)).ReadOutputAs<ProbeOutput>()!.Go);
    }

    [Fact]
    public async Task Query_PageSizeAndContinuationToken_PageThroughEveryMatchNewestFirst()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await StartAsync($"paged-{i}"));
        }

        foreach (var id in ids)
        {
            await CompletionAsync(id);
        }

        var pages = await AllPagesAsync(new OrchestrationQuery { InstanceIdPrefix = _prefix + "paged-", PageSize = 2 });

        Assert.All(pages, page => Assert.InRange(page.Instances.Count, 0, 2));
        Assert.All(pages, page => Assert.Equal(page.Instances.OrderByDescending(m => m.CreatedAt).Select(m => m.InstanceId), page.Instances.Select(m => m.InstanceId)));
        Assert.Null(pages[^1].ContinuationToken);
        Assert.All(pages.SkipLast(1), page => Assert.NotNull(page.ContinuationToken));
        var found = pages.SelectMany(p => p.Instances).ToList();
        Assert.Equal(ids.Order(), found.Select(m => m.InstanceId).Order());
        Assert.All(found, m => Assert.Equal(new ProbeStatus("done", m.InstanceId[_prefix.Length..]), m.ReadCustomStatusAs<ProbeStatus>()));
        Assert.All(found, m => Assert.Null(m.SerializedInput));
    }

    [Fact]
    public async Task Query_StatusPrefixAndNameFilters_SelectExactlyTheMatches()
    {
        var completed = await StartAsync("a-done");
        var failed = await StartAsync("a-broken", fail: true);
        var running = await StartAsync("a-waiting", waitForGo: true);
        var other = await StartAsync("b-done");
        await CompletionAsync(completed);
        await CompletionAsync(failed);
        await CompletionAsync(other);
        await StartedAsync(running);

        async Task<string[]> IdsAsync(OrchestrationQuery query) =>
            [.. (await AllPagesAsync(query)).SelectMany(p => p.Instances).Select(m => m.InstanceId).Order()];

        var prefix = _prefix + "a-";
        Assert.Equal(new[] { failed, running, completed }.Order(), await IdsAsync(new OrchestrationQuery { InstanceIdPrefix = prefix }));
        Assert.Equal([running], await IdsAsync(new OrchestrationQuery { InstanceIdPrefix = prefix, Statuses = [OrchestrationRuntimeStatus.Running] }));
        Assert.Equal([completed], await IdsAsync(new OrchestrationQuery { InstanceIdPrefix = prefix, Statuses = [OrchestrationRuntimeStatus.Completed] }));
        Assert.Equal(new[] { failed, completed }.Order(), await IdsAsync(new OrchestrationQuery
        {
            InstanceIdPrefix = prefix,
            Statuses = [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed],
        }));
        Assert.Equal(new[] { failed, running, completed, other }.Order(), await IdsAsync(new OrchestrationQuery { InstanceIdPrefix = _prefix, Name = nameof(ProbeOrchestrator) }));
        Assert.Empty(await IdsAsync(new OrchestrationQuery { InstanceIdPrefix = _prefix, Name = nameof(OnboardingOrchestrator) }));
        Assert.Empty(await IdsAsync(new OrchestrationQuery { InstanceIdPrefix = _prefix + "c-" }));

        var withInputs = (await AllPagesAsync(new OrchestrationQuery { InstanceIdPrefix = prefix, FetchInputsAndOutputs = true })).SelectMany(p => p.Instances).ToList();
        Assert.Equal("a-done", withInputs.Single(m => m.InstanceId == completed).ReadOutputAs<ProbeOutput>()!.Label);
        Assert.Equal("a-broken", withInputs.Single(m => m.InstanceId == failed).ReadInputAs<ProbeInput>()!.Label);
        Assert.Null(withInputs.Single(m => m.InstanceId == failed).SerializedOutput);
        Assert.Equal("Probe a-broken failed as asked.", withInputs.Single(m => m.InstanceId == failed).FailureDetails!.ErrorMessage);
    }

    private async Task<string> StartAsync(string label, bool fail = false, bool waitForGo = false) =>
        await Client.ScheduleNewOrchestrationInstanceAsync(nameof(ProbeOrchestrator), _prefix + label, new ProbeInput(label, fail, waitForGo));

    private Task StartedAsync(string id) =>
        Poll.UntilAsync(async () => (await Client.GetInstanceAsync(id))?.ReadCustomStatusAs<ProbeStatus>()?.Stage == "started", $"{id} to start");

    private async Task<OrchestrationMetadata> CompletionAsync(string id, bool withInputs = true)
    {
        using var timeout = new CancellationTokenSource(Poll.DefaultTimeout);
        return await Client.WaitForInstanceCompletionAsync(id, withInputs, timeout.Token);
    }

    private async Task<List<OrchestrationQueryResult>> AllPagesAsync(OrchestrationQuery query)
    {
        var pages = new List<OrchestrationQueryResult>();
        do
        {
            pages.Add(await Client.QueryInstancesAsync(query with { ContinuationToken = pages.LastOrDefault()?.ContinuationToken }));
            Assert.True(pages.Count <= 100, "The continuation tokens never ended.");
        }
        while (pages[^1].ContinuationToken is not null);
        return pages;
    }
}

/// <summary>The contract on the local host's embedded SQLite engine.</summary>
public sealed class ClientContractOnSqlite : ClientContract
{
    protected override OnboardingEngineFactory Engine => options =>
        SqliteOnboardingEngine.Factory(options with { ConfigureServices = ProbeOrchestrator.Register });
}

/// <summary>The contract on the real Durable Task worker through the Functions host's client adapter.</summary>
public sealed class ClientContractOnDurableTask : ClientContract
{
    protected override OnboardingEngineFactory Engine => DurableTaskEngine.WithProbe;
}
