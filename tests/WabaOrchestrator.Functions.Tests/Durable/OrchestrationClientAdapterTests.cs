using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Functions.Durable;
using Ours = WabaOrchestrator.Durable;
using SdkQuery = Microsoft.DurableTask.Client.OrchestrationQuery;
using SdkStatus = Microsoft.DurableTask.Client.OrchestrationRuntimeStatus;

namespace WabaOrchestrator.Functions.Tests.Durable;

public sealed class OrchestrationClientAdapterTests
{
    private const string Id = "waba-447700900001";
    private readonly Mock<DurableTaskClient> _sdk = SdkFakes.Client();

    private static readonly IReadOnlyDictionary<string, TaskRegistration> Orchestrators =
        new[] { new TaskRegistration(TaskKind.Orchestrator, "OnboardingOrchestrator", typeof(object)) }.ByName(TaskKind.Orchestrator);

    private DurableFunctionsOrchestrationClient Client => new(_sdk.Object, Orchestrators);

    [Fact]
    public async Task Schedule_AnOrchestratorTheAppDoesNotRegister_IsRefusedBeforeAskingTheTaskHub()
    {
        var ex = await Assert.ThrowsAsync<UnknownTaskException>(() => Client.ScheduleNewOrchestrationInstanceAsync("NoSuchOrchestrator", Id, "input"));

        Assert.Equal("NoSuchOrchestrator", ex.TaskName);
        _sdk.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Schedule_TheNameInAnotherCase_StartsTheRegisteredName()
    {
        _sdk.HasInstance(Id, null);
        ExpectSchedule();

        await Client.ScheduleNewOrchestrationInstanceAsync("onboardingorchestrator", Id, "input");

        _sdk.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(
            It.Is<TaskName>(n => n.Name == "OnboardingOrchestrator"), "input", It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData(SdkStatus.Running)]
    [InlineData(SdkStatus.Pending)]
    [InlineData(SdkStatus.Suspended)]
    public async Task Schedule_WhenTheIdIsStillUnfinished_IsRefusedAndNothingIsScheduled(SdkStatus status)
    {
        _sdk.HasInstance(Id, SdkFakes.Instance(Id, status));

        var ex = await Assert.ThrowsAsync<OrchestrationAlreadyExistsException>(() => Client.ScheduleNewOrchestrationInstanceAsync("OnboardingOrchestrator", Id, new { }));

        Assert.Equal(Id, ex.InstanceId);
        _sdk.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData(SdkStatus.Completed)]
    [InlineData(SdkStatus.Failed)]
    [InlineData(SdkStatus.Terminated)]
    public async Task Schedule_WhenTheIdFinished_StartsItAfreshUnderThatId(SdkStatus status)
    {
        _sdk.HasInstance(Id, SdkFakes.Instance(Id, status));
        ExpectSchedule();

        Assert.Equal(Id, await Client.ScheduleNewOrchestrationInstanceAsync("OnboardingOrchestrator", Id, "input"));
    }

    [Fact]
    public async Task Schedule_ANewId_PassesNameInputAndInstanceIdAndChecksFirst()
    {
        _sdk.HasInstance(Id, null);
        ExpectSchedule();

        await Client.ScheduleNewOrchestrationInstanceAsync("OnboardingOrchestrator", Id, "input");

        _sdk.Verify(c => c.GetInstanceAsync(Id, false, It.IsAny<CancellationToken>()), Times.Once);
        _sdk.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(
            It.Is<TaskName>(n => n.Name == "OnboardingOrchestrator"), "input", It.Is<StartOrchestrationOptions?>(o => o!.InstanceId == Id), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData(SdkStatus.Pending, Ours.OrchestrationRuntimeStatus.Pending)]
    [InlineData(SdkStatus.Running, Ours.OrchestrationRuntimeStatus.Running)]
    [InlineData(SdkStatus.Suspended, Ours.OrchestrationRuntimeStatus.Running)]
    [InlineData(SdkStatus.Completed, Ours.OrchestrationRuntimeStatus.Completed)]
    [InlineData(SdkStatus.Failed, Ours.OrchestrationRuntimeStatus.Failed)]
    [InlineData(SdkStatus.Terminated, Ours.OrchestrationRuntimeStatus.Terminated)]
    public async Task GetInstance_MapsTheRuntimeStatus(SdkStatus sdk, Ours.OrchestrationRuntimeStatus expected)
    {
        _sdk.HasInstance(Id, SdkFakes.Instance(Id, sdk));

        Assert.Equal(expected, (await Client.GetInstanceAsync(Id))!.RuntimeStatus);
    }

    [Fact]
    public async Task GetInstance_MapsEveryFieldIncludingTheFailureButNoOutputOfAFailedInstance()
    {
        var created = new DateTimeOffset(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);
        _sdk.HasInstance(Id, new Microsoft.DurableTask.Client.OrchestrationMetadata("OnboardingOrchestrator", Id)
        {
            RuntimeStatus = SdkStatus.Failed,
            CreatedAt = created,
            LastUpdatedAt = created.AddMinutes(3),
            SerializedInput = """{"number":"7700900001"}""",
            // Durable Task Core records a failed orchestration's message as its output, as plain text.
            SerializedOutput = "Invalid vname certificate",
            SerializedCustomStatus = """{"stage":"Failed"}""",
            FailureDetails = new TaskFailureDetails("System.InvalidOperationException", "Invalid vname certificate", "trace", null, null),
        });

        var instance = await Client.GetInstanceAsync(Id, getInputsAndOutputs: true);

        Assert.NotNull(instance);
        Assert.Equal(("OnboardingOrchestrator", Id), (instance.Name, instance.InstanceId));
        Assert.Equal((created, created.AddMinutes(3)), (instance.CreatedAt, instance.LastUpdatedAt));
        Assert.Equal("""{"number":"7700900001"}""", instance.SerializedInput);
        Assert.Null(instance.SerializedOutput);
        Assert.Equal("""{"stage":"Failed"}""", instance.SerializedCustomStatus);
        Assert.Equal(new FailureDetails("System.InvalidOperationException", "Invalid vname certificate", "trace"), instance.FailureDetails);
        _sdk.Verify(c => c.GetInstanceAsync(Id, true, It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task GetInstance_WithoutInputsAndOutputs_AsksForEverythingAndKeepsOnlyCustomStatusAndFailure()
    {
        // The gRPC backends send custom status and failure details only with inputs and outputs.
        _sdk.HasInstance(Id, FullInstance(SdkStatus.Failed));

        var instance = (await Client.GetInstanceAsync(Id))!;

        Assert.Null(instance.SerializedInput);
        Assert.Null(instance.SerializedOutput);
        Assert.Equal("""{"stage":"Failed"}""", instance.SerializedCustomStatus);
        Assert.Equal("boom", instance.FailureDetails!.ErrorMessage);
        _sdk.Verify(c => c.GetInstanceAsync(Id, true, It.IsAny<CancellationToken>()), Times.Once);
        _sdk.Verify(c => c.GetInstanceAsync(Id, false, It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task GetInstance_UnknownId_IsNull()
    {
        _sdk.HasInstance(Id, null);

        Assert.Null(await Client.GetInstanceAsync(Id));
    }

    [Fact]
    public async Task RaiseEvent_ToARunningInstance_ForwardsNameAndPayload()
    {
        var payload = new { Code = "sealed" };
        _sdk.HasInstance(Id, SdkFakes.Instance(Id, SdkStatus.Running));
        _sdk.Setup(c => c.RaiseEventAsync(Id, "Otp", payload, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        await Client.RaiseEventAsync(Id, "Otp", payload);

        _sdk.Verify(c => c.RaiseEventAsync(Id, "Otp", payload, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RaiseEvent_ToAnUnknownInstance_ThrowsNotFoundInsteadOfDroppingIt()
    {
        _sdk.HasInstance(Id, null);

        await Assert.ThrowsAsync<OrchestrationNotFoundException>(() => Client.RaiseEventAsync(Id, "Otp", "x"));
    }

    [Fact]
    public async Task RaiseEvent_ToAFinishedInstance_ThrowsNotRunningWithItsStatus()
    {
        _sdk.HasInstance(Id, SdkFakes.Instance(Id, SdkStatus.Completed));

        var ex = await Assert.ThrowsAsync<OrchestrationNotRunningException>(() => Client.RaiseEventAsync(Id, "Otp", "x"));

        Assert.Equal(Ours.OrchestrationRuntimeStatus.Completed, ex.Status);
    }

    [Theory]
    [InlineData(SdkStatus.Running)]
    [InlineData(SdkStatus.Pending)]
    [InlineData(SdkStatus.Suspended)]
    public async Task Terminate_AnUnfinishedInstance_PassesTheReasonAsTheOutput(SdkStatus status)
    {
        _sdk.HasInstance(Id, SdkFakes.Instance(Id, status));
        _sdk.Setup(c => c.TerminateInstanceAsync(Id, "Terminated through the API.", It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        await Client.TerminateInstanceAsync(Id, "Terminated through the API.");

        _sdk.Verify(c => c.TerminateInstanceAsync(Id, "Terminated through the API.", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData(SdkStatus.Completed)]
    [InlineData(SdkStatus.Failed)]
    [InlineData(SdkStatus.Terminated)]
    public async Task Terminate_AFinishedInstance_LeavesItAsItIsAndSendsNothing(SdkStatus status)
    {
        _sdk.HasInstance(Id, SdkFakes.Instance(Id, status));

        await Client.TerminateInstanceAsync(Id, "too late");

        _sdk.Verify(c => c.TerminateInstanceAsync(It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Terminate_AnUnknownInstance_ThrowsNotFound()
    {
        _sdk.HasInstance(Id, null);

        var ex = await Assert.ThrowsAsync<OrchestrationNotFoundException>(() => Client.TerminateInstanceAsync(Id, "why"));

        Assert.Equal(Id, ex.InstanceId);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(0, false)]
    public async Task Purge_AFinishedInstance_IsTrueOnlyWhenSomethingWasPurged(int purged, bool expected)
    {
        _sdk.HasInstance(Id, SdkFakes.Instance(Id, SdkStatus.Completed));
        _sdk.Setup(c => c.PurgeInstanceAsync(Id, It.IsAny<CancellationToken>())).ReturnsAsync(new PurgeResult(purged));

        Assert.Equal(expected, await Client.PurgeInstanceAsync(Id));
    }

    [Theory]
    [InlineData(SdkStatus.Running)]
    [InlineData(SdkStatus.Suspended)]
    public async Task Purge_AnUnfinishedInstance_IsFalseAndPurgesNothing(SdkStatus status)
    {
        _sdk.HasInstance(Id, SdkFakes.Instance(Id, status));

        Assert.False(await Client.PurgeInstanceAsync(Id));

        _sdk.Verify(c => c.PurgeInstanceAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Purge_AnUnknownInstance_IsFalse()
    {
        _sdk.HasInstance(Id, null);

        Assert.False(await Client.PurgeInstanceAsync(Id));
    }

    [Fact]
    public async Task WaitForCompletion_MapsTheFinalState()
    {
        _sdk.HasInstance(Id, SdkFakes.Instance(Id, SdkStatus.Running));
        _sdk.Setup(c => c.WaitForInstanceCompletionAsync(Id, true, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Microsoft.DurableTask.Client.OrchestrationMetadata("OnboardingOrchestrator", Id) { RuntimeStatus = SdkStatus.Completed, SerializedOutput = "{}" });

        var done = await Client.WaitForInstanceCompletionAsync(Id, getInputsAndOutputs: true);

        Assert.Equal(Ours.OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("{}", done.SerializedOutput);
    }

    [Fact]
    public async Task WaitForCompletion_WithoutInputsAndOutputs_AsksForEverythingAndKeepsOnlyCustomStatusAndFailure()
    {
        _sdk.HasInstance(Id, SdkFakes.Instance(Id, SdkStatus.Running));
        _sdk.Setup(c => c.WaitForInstanceCompletionAsync(Id, true, It.IsAny<CancellationToken>())).ReturnsAsync(FullInstance(SdkStatus.Failed));

        var done = await Client.WaitForInstanceCompletionAsync(Id);

        Assert.Null(done.SerializedInput);
        Assert.Null(done.SerializedOutput);
        Assert.Equal("""{"stage":"Failed"}""", done.SerializedCustomStatus);
        Assert.Equal("boom", done.FailureDetails!.ErrorMessage);
        _sdk.Verify(c => c.WaitForInstanceCompletionAsync(Id, false, It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task WaitForCompletion_UnknownInstance_ThrowsNotFoundInsteadOfWaitingForever()
    {
        _sdk.HasInstance(Id, null);

        var ex = await Assert.ThrowsAsync<OrchestrationNotFoundException>(() => Client.WaitForInstanceCompletionAsync(Id));

        Assert.Equal(Id, ex.InstanceId);
        _sdk.Verify(c => c.WaitForInstanceCompletionAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Query_TranslatesTheFilterAndReturnsOnePageNewestFirst()
    {
        SdkQuery? filter = null;
        _sdk.Setup(c => c.GetAllInstancesAsync(It.IsAny<SdkQuery?>()))
            .Callback((SdkQuery? q) => filter = q)
            .Returns(SdkFakes.Pages(new Page<Microsoft.DurableTask.Client.OrchestrationMetadata>(
                [
                    Created("waba-1", 1),
                    Created("waba-3", 3),
                    Created("other-2", 2, name: "SomethingElse"),
                ],
                "next-page")));
        var from = DateTimeOffset.UnixEpoch.AddDays(1);

        var page = await Client.QueryInstancesAsync(new Ours.OrchestrationQuery
        {
            Name = "OnboardingOrchestrator",
            Statuses = [Ours.OrchestrationRuntimeStatus.Running, Ours.OrchestrationRuntimeStatus.Failed],
            InstanceIdPrefix = "waba-",
            CreatedFrom = from,
            PageSize = 25,
            ContinuationToken = "this-page",
            FetchInputsAndOutputs = true,
        });

        Assert.Equal(["waba-3", "waba-1"], page.Instances.Select(i => i.InstanceId));
        Assert.Equal("next-page", page.ContinuationToken);
        Assert.NotNull(filter);
        Assert.Equal([SdkStatus.Running, SdkStatus.Suspended, SdkStatus.Failed], filter.Statuses!.ToList());
        Assert.Equal(("waba-", 25, "this-page", true, from), (filter.InstanceIdPrefix, filter.PageSize, filter.ContinuationToken, filter.FetchInputsAndOutputs, filter.CreatedFrom));
    }

    [Fact]
    public async Task Query_WithoutInputsAndOutputs_AsksForEverythingAndKeepsOnlyCustomStatus()
    {
        SdkQuery? filter = null;
        _sdk.Setup(c => c.GetAllInstancesAsync(It.IsAny<SdkQuery?>()))
            .Callback((SdkQuery? q) => filter = q)
            .Returns(SdkFakes.Pages(new Page<Microsoft.DurableTask.Client.OrchestrationMetadata>([FullInstance(SdkStatus.Completed)], "")));

        var page = await Client.QueryInstancesAsync(new Ours.OrchestrationQuery { FetchInputsAndOutputs = false });

        Assert.True(filter!.FetchInputsAndOutputs);
        var instance = Assert.Single(page.Instances);
        Assert.Null(instance.SerializedInput);
        Assert.Null(instance.SerializedOutput);
        Assert.Equal("""{"stage":"Failed"}""", instance.SerializedCustomStatus);
    }

    [Fact]
    public async Task Query_AFailedInstanceWithoutItsDetails_ReadsThemFromTheInstance()
    {
        // The test host's sidecar never sends failure details in query results.
        var listed = SdkFakes.Instance(Id, SdkStatus.Failed);
        _sdk.Setup(c => c.GetAllInstancesAsync(It.IsAny<SdkQuery?>()))
            .Returns(SdkFakes.Pages(new Page<Microsoft.DurableTask.Client.OrchestrationMetadata>([listed, Created("waba-2", 2)], "")));
        _sdk.HasInstance(Id, FullInstance(SdkStatus.Failed));

        var page = await Client.QueryInstancesAsync(new Ours.OrchestrationQuery());

        Assert.Equal("boom", page.Instances.Single(i => i.InstanceId == Id).FailureDetails!.ErrorMessage);
        Assert.Null(page.Instances.Single(i => i.InstanceId == "waba-2").FailureDetails);
        _sdk.Verify(c => c.GetInstanceAsync(Id, true, It.IsAny<CancellationToken>()), Times.Once);
        _sdk.Verify(c => c.GetInstanceAsync("waba-2", It.IsAny<bool>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Query_LastPage_HasNoToken()
    {
        _sdk.Setup(c => c.GetAllInstancesAsync(It.IsAny<SdkQuery?>()))
            .Returns(SdkFakes.Pages(new Page<Microsoft.DurableTask.Client.OrchestrationMetadata>([Created("waba-1", 1)], "")));

        var page = await Client.QueryInstancesAsync(new Ours.OrchestrationQuery());

        Assert.Single(page.Instances);
        Assert.Null(page.ContinuationToken);
    }

    [Fact]
    public async Task Query_NoPagesAtAll_IsEmpty()
    {
        _sdk.Setup(c => c.GetAllInstancesAsync(It.IsAny<SdkQuery?>())).Returns(SdkFakes.Pages());

        var page = await Client.QueryInstancesAsync(new Ours.OrchestrationQuery());

        Assert.Empty(page.Instances);
        Assert.Null(page.ContinuationToken);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task Query_PageSizeOutOfRange_IsRefusedNamingIt(int size)
    {
        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Client.QueryInstancesAsync(new Ours.OrchestrationQuery { PageSize = size }));

        Assert.Equal("PageSize", ex.ParamName);
    }

    private static Microsoft.DurableTask.Client.OrchestrationMetadata FullInstance(SdkStatus status) =>
        new("OnboardingOrchestrator", Id)
        {
            RuntimeStatus = status,
            SerializedInput = "{}",
            SerializedOutput = "{}",
            SerializedCustomStatus = """{"stage":"Failed"}""",
            FailureDetails = status == SdkStatus.Failed ? new TaskFailureDetails("System.InvalidOperationException", "boom", null, null, null) : null,
        };

    private static Microsoft.DurableTask.Client.OrchestrationMetadata Created(string id, int day, string name = "OnboardingOrchestrator") =>
        new(name, id) { RuntimeStatus = SdkStatus.Running, CreatedAt = DateTimeOffset.UnixEpoch.AddDays(day) };

    private void ExpectSchedule() =>
        _sdk.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((TaskName _, object? _, StartOrchestrationOptions? o, CancellationToken _) => o!.InstanceId!);
}
