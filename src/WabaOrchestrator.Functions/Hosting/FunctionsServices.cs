using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WabaOrchestrator.Api;
using WabaOrchestrator.Api.Webhooks;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Functions.Http;
using WabaOrchestrator.Functions.Webhooks;
using WabaOrchestrator.Onboarding;
using WabaOrchestrator.Vonage;

namespace WabaOrchestrator.Functions.Hosting;

public static class FunctionsServices
{
    /// <summary>
    /// The local host's registrations, minus what the Functions platform does itself: Durable Functions is the engine
    /// (so no embedded engine and no <see cref="IOrchestrationClient"/> in DI: the client comes per invocation), and the
    /// platform checks function keys (so no <c>Auth:Keys</c>).
    /// </summary>
    public static IServiceCollection AddWabaFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddVonageWhatsApp(configuration);
        new ServiceCollectionDurableBuilder(services).AddOnboarding();
        // The starter needs the invocation's durable client; DurableApi builds it per call.
        services.RemoveAll<OnboardingStarter>();

        services.AddWabaApiHandlers();
        // Used webhook tokens in the app's storage account, shared by every instance (the API's default is in memory).
        services.AddSingleton<IWebhookTokenStore>(sp => new BlobWebhookTokenStore(WebhookTokenBlobs.CreateContainerClient(configuration), sp.GetRequiredService<TimeProvider>()));

        services.TryAddSingleton<DurableApi>();
        return services;
    }

    /// <summary>Registers orchestrators and activities into DI only: Durable Functions finds them through their functions.</summary>
    private sealed class ServiceCollectionDurableBuilder(IServiceCollection services) : IDurableBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
