using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Onboarding.Activities;
using WabaOrchestrator.Onboarding.Callbacks;
using WabaOrchestrator.Onboarding.Secrets;

namespace WabaOrchestrator.Onboarding;

public static class OnboardingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the onboarding orchestrator and activities on a durable engine, with their options
    /// (<c>Onboarding:*</c>, <c>SecretProtection:*</c>), the secret protector and the callback HTTP client (which connects only to allowed addresses and follows no redirect).
    /// The Vonage client is registered by the host (<c>AddVonageWhatsApp</c>).
    /// </summary>
    public static IDurableBuilder AddOnboarding(this IDurableBuilder durable)
    {
        var services = durable.Services;
        services.AddOptions<OnboardingOptions>()
            .BindConfiguration(OnboardingOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.Callbacks.AllowedHosts.All(CallbackUrlRules.IsValidPattern),
                "Onboarding:Callbacks:AllowedHosts takes host names, or *.example.com for any name under example.com.")
            .ValidateOnStart();
        services.AddOptions<SecretProtectionOptions>()
            .BindConfiguration(SecretProtectionOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SecretProtectionOptions>, SecretProtectionOptionsValidator>());
        services.TryAddSingleton<ISecretProtector>(sp =>
            new AesGcmSecretProtector(sp.GetRequiredService<IOptions<SecretProtectionOptions>>().Value.ResolveKeyRing()));
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(NotifyCallbackActivity.HttpClientName, (sp, client) =>
                client.Timeout = sp.GetRequiredService<IOptions<OnboardingOptions>>().Value.Callbacks.Timeout)
            .ConfigurePrimaryHttpMessageHandler(sp => CallbackHttpHandler.Create(sp.GetRequiredService<IOptions<OnboardingOptions>>().Value.Callbacks));
        services.TryAddSingleton<OnboardingStarter>();

        return durable
            .AddOrchestrator<OnboardingOrchestrator>()
            .AddActivity<ProvisionDeploymentActivity>()
            .AddActivity<GetDeploymentActivity>()
            .AddActivity<ResendOtpActivity>()
            .AddActivity<VerifyOtpActivity>()
            .AddActivity<UpdateProfileActivity>()
            .AddActivity<UpdatePhotoActivity>()
            .AddActivity<DeleteDeploymentActivity>()
            .AddActivity<NotifyCallbackActivity>();
    }
}
