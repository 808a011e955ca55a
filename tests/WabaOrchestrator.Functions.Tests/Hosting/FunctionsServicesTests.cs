using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Api;
using WabaOrchestrator.Api.Auth;
using WabaOrchestrator.Api.Webhooks;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Functions.Orchestration;
using WabaOrchestrator.Functions.Webhooks;
using WabaOrchestrator.Onboarding;

namespace WabaOrchestrator.Functions.Tests.Hosting;

public sealed class FunctionsServicesTests
{
    [Fact]
    public void AddWabaFunctions_LeavesTheDurableClientAndStarterOutOfDi_TheyComePerInvocation()
    {
        using var provider = FunctionsTestServices.Provider();

        Assert.Null(provider.GetService<IOrchestrationClient>());
        Assert.Null(provider.GetService<OnboardingStarter>());
    }

    [Fact]
    public void AddWabaFunctions_RegistersEverythingAddWabaApiDoes_ExceptTheKeyCheckThePlatformDoes()
    {
        var api = new ServiceCollection().AddWabaApi().Select(d => d.ServiceType).ToHashSet();
        var keys = new ServiceCollection().AddApiAuth().Select(d => d.ServiceType).ToHashSet();
        var functions = FunctionsTestServices.Collection().Select(d => d.ServiceType).ToHashSet();

        var missing = api.Except(keys).Except(functions).Select(t => t.ToString()).ToList();

        Assert.Empty(missing);
        Assert.DoesNotContain(typeof(ApiKeyVerifier), functions);
    }

    [Fact]
    public void AddWabaFunctions_KeepsUsedWebhookTokensInBlobStorage_InTheAccountOfAzureWebJobsStorage()
    {
        using var provider = FunctionsTestServices.Provider();

        var store = Assert.IsType<BlobWebhookTokenStore>(provider.GetRequiredService<IWebhookTokenStore>());

        Assert.Equal(WebhookTokenBlobs.DefaultContainer, store.Container.Name);
        Assert.Equal("devstoreaccount1", store.Container.AccountName);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage:accountName", "stwaba", "https://stwaba.blob.core.windows.net/webhook-tokens")]
    [InlineData("AzureWebJobsStorage:blobServiceUri", "https://stwaba.blob.core.windows.net", "https://stwaba.blob.core.windows.net/webhook-tokens")]
    public void WebhookTokenBlobs_IdentityBasedStorage_AsInfraConfiguresIt(string key, string value, string container)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [key] = value,
            ["AzureWebJobsStorage:credential"] = "managedidentity",
            ["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-000000000002",
        }).Build();

        Assert.Equal(new Uri(container), WebhookTokenBlobs.CreateContainerClient(configuration).Uri);
    }

    [Fact]
    public void WebhookTokenBlobs_ContainerSetting_NamesTheContainer_AndNoStorageAtAllIsAClearError()
    {
        var named = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            [WebhookTokenBlobs.ContainerKey] = "other-tokens",
        }).Build();
        Assert.Equal("other-tokens", WebhookTokenBlobs.CreateContainerClient(named).Name);

        var failure = Assert.Throws<InvalidOperationException>(() => WebhookTokenBlobs.CreateContainerClient(new ConfigurationBuilder().Build()));
        Assert.Contains("AzureWebJobsStorage", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ActivityFunctions_AreOnePerRegisteredActivity_NamedAsTheOrchestratorCallsThem()
    {
        var registered = FunctionsTestServices.Collection()
            .Where(d => d.ServiceType == typeof(TaskRegistration))
            .Select(d => (TaskRegistration)d.ImplementationInstance!)
            .ToList();

        Assert.Equal(
            registered.Where(r => r.Kind == TaskKind.Activity).Select(r => r.Name).Order(),
            FunctionNames(typeof(OnboardingActivityFunctions)).Order());
        Assert.Equal(
            registered.Where(r => r.Kind == TaskKind.Orchestrator).Select(r => r.Name),
            FunctionNames(typeof(OnboardingOrchestratorFunction)));
        Assert.Equal([nameof(OnboardingOrchestrator)], FunctionNames(typeof(OnboardingOrchestratorFunction)));
    }

    [Fact]
    public void ActivityFunctions_TakeTheInputTypeOfTheirActivity()
    {
        var registered = FunctionsTestServices.Collection()
            .Where(d => d.ServiceType == typeof(TaskRegistration))
            .Select(d => (TaskRegistration)d.ImplementationInstance!)
            .Where(r => r.Kind == TaskKind.Activity)
            .ToDictionary(r => r.Name);

        foreach (var method in typeof(OnboardingActivityFunctions).GetMethods().Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null))
        {
            var activity = registered[method.GetCustomAttribute<FunctionAttribute>()!.Name].Type;
            var trigger = method.GetParameters().Single(p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null);
            var inputType = activity.BaseType!.GetGenericArguments()[0];
            Assert.Equal(inputType, trigger.ParameterType);
        }
    }

    private static List<string> FunctionNames(Type type) =>
        type.GetMethods().Select(m => m.GetCustomAttribute<FunctionAttribute>()?.Name).OfType<string>().ToList();
}
