using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Moq.Protected;
using WabaOrchestrator.Functions.Orchestration;
using WabaOrchestrator.Functions.Tests.Hosting;
using WabaOrchestrator.Onboarding;
using WabaOrchestrator.Onboarding.Activities;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Errors;

namespace WabaOrchestrator.Functions.Tests.Orchestration;

public sealed class OrchestrationFunctionTests
{
    private static readonly OnboardingInput Input = new()
    {
        CountryCode = "44",
        Number = "7700900100",
        Method = OtpMethod.Sms,
        WabaId = "123456",
        ProtectedVnameCertificate = "sealed-cert",
        Settings = new WorkflowSettings(),
    };

    [Fact]
    public async Task OrchestratorFunction_RunsTheOnboardingWorkflowThroughTheAdapter()
    {
        // Vonage refusing the provision ends the run at once: enough to see the workflow call its first activity by
        // the function name, with a retry policy, and report its stage through the SDK's custom status.
        var context = new Mock<TaskOrchestrationContext>();
        context.SetupGet(c => c.InstanceId).Returns("waba-447700900100");
        context.SetupGet(c => c.Name).Returns(new TaskName(nameof(OnboardingOrchestrator)));
        context.Protected().SetupGet<ILoggerFactory>("LoggerFactory").Returns(NullLoggerFactory.Instance);
        // Virtual in the SDK, so a mock would return no logger: run the SDK's own replay-safe wrapper instead.
        context.Setup(c => c.CreateReplaySafeLogger(It.IsAny<string>())).CallBase();
        context.Setup(c => c.GetInput<OnboardingInput>()).Returns(Input);
        context.Setup(c => c.WaitForExternalEvent<CancelRequested>(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns(new TaskCompletionSource<CancelRequested>().Task);
        TaskOptions? provisionOptions = null;
        context.Setup(c => c.CallActivityAsync<ProvisionDeploymentResult>(It.Is<TaskName>(n => n.Name == nameof(ProvisionDeploymentActivity)), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback((TaskName _, object? _, TaskOptions? o) => provisionOptions = o)
            .ReturnsAsync(new ProvisionDeploymentResult(ProvisionOutcome.Rejected, null, "Invalid vname certificate"));
        var statuses = new List<OnboardingStatus>();
        context.Setup(c => c.SetCustomStatus(It.IsAny<object?>())).Callback((object? s) => statuses.Add((OnboardingStatus)s!));

        var ex = await Assert.ThrowsAsync<OnboardingFailedException>(() => OnboardingOrchestratorFunction.RunAsync(context.Object));

        Assert.Contains("Invalid vname certificate", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(provisionOptions?.Retry?.Policy);
        Assert.Equal(OnboardingStage.Provisioning, statuses[0].Stage);
        Assert.Equal(OnboardingStage.Failed, statuses[^1].Stage);
    }

    [Fact]
    public async Task OrchestratorFunction_WithoutInput_FailsNamingTheInstance()
    {
        var context = new Mock<TaskOrchestrationContext>();
        context.SetupGet(c => c.InstanceId).Returns("waba-1");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => OnboardingOrchestratorFunction.RunAsync(context.Object));

        Assert.Contains("waba-1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ActivityFunction_RunsTheOnboardingActivityResolvedFromDi()
    {
        var deployments = new Mock<IDeploymentsClient>(MockBehavior.Strict);
        deployments.Setup(d => d.GetAsync("dep-1", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new VonageApiException(System.Net.HttpStatusCode.NotFound, null, "Not Found", null, null, [], null, "{}"));
        using var services = FunctionsTestServices.Provider(s => s.AddSingleton(deployments.Object));
        var functions = ActivatorUtilities.CreateInstance<OnboardingActivityFunctions>(services);

        // Vonage no longer knowing the deployment is the activity's null result, not a failure.
        Assert.Null(await functions.GetDeployment("dep-1", FunctionContextFor("waba-447700900100"), CancellationToken.None));
        deployments.Verify(d => d.GetAsync("dep-1", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ActivityFunction_PassesTheInvocationCancellationToTheActivity()
    {
        using var cts = new CancellationTokenSource();
        var deployments = new Mock<IDeploymentsClient>(MockBehavior.Strict);
        deployments.Setup(d => d.DeleteAsync("dep-1", cts.Token)).Returns(Task.CompletedTask);
        using var services = FunctionsTestServices.Provider(s => s.AddSingleton(deployments.Object));
        var functions = ActivatorUtilities.CreateInstance<OnboardingActivityFunctions>(services);

        await functions.DeleteDeployment("dep-1", FunctionContextFor("waba-1"), cts.Token);

        deployments.Verify(d => d.DeleteAsync("dep-1", cts.Token), Times.Once);
    }

    private static FunctionContext FunctionContextFor(string instanceId)
    {
        var binding = new Mock<BindingContext>();
        binding.SetupGet(b => b.BindingData).Returns(new Dictionary<string, object?> { ["instanceId"] = instanceId });
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.BindingContext).Returns(binding.Object);
        return context.Object;
    }
}
