using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WabaOrchestrator.Vonage.Auth;
using WabaOrchestrator.Vonage.Configuration;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Http;
using WabaOrchestrator.Vonage.Media;
using WabaOrchestrator.Vonage.Profile;
using WabaOrchestrator.Vonage.Resilience;
using WabaOrchestrator.Vonage.Stickers;
using WabaOrchestrator.Vonage.Templates;

namespace WabaOrchestrator.Vonage;

public static class VonageServiceCollectionExtensions
{
    /// <summary>
    /// Service key of the <see cref="SecretClient"/> used for <c>Vonage:KeyVault</c>; register your own
    /// under this key (before or after this call) to supply a different credential or a test double.
    /// </summary>
    public const string SecretClientKey = "Vonage";

    /// <summary>Name of the <see cref="HttpClient"/> every area client uses (for <c>AddHttpClient(name)</c> tweaks).</summary>
    public const string HttpClientName = "Vonage";

    /// <summary>
    /// Registers the five area clients (<see cref="IDeploymentsClient"/>, <see cref="IProfileClient"/>,
    /// <see cref="IStickersClient"/>, <see cref="ITemplatesClient"/>, <see cref="IMediaClient"/>) as typed
    /// <see cref="HttpClient"/>s, bound to <c>Vonage:*</c> and validated at start-up, and the pass-through
    /// <see cref="IVonageJsonReader"/> for relaying Vonage's JSON as it came.
    /// </summary>
    public static IServiceCollection AddVonageWhatsApp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<VonageOptions>()
            .Bind(configuration.GetSection(VonageOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VonageOptions>, VonageOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton(SecretClientKey, (sp, _) =>
        {
            var keyVault = sp.GetRequiredService<IOptions<VonageOptions>>().Value.KeyVault;
            var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = keyVault.ManagedIdentityClientId });
            return new SecretClient(keyVault.VaultUri!, credential);
        });
        services.TryAddSingleton<IVonagePrivateKeySource>(CreateKeySource);
        services.TryAddSingleton<IVonageTokenProvider, VonageTokenProvider>();
        services.TryAddSingleton<VonageResiliencePipeline>();
        services.TryAddTransient<VonageAuthHandler>();
        services.TryAddTransient<VonageResilienceHandler>();

        // One named client for every area: one handler chain and one connection pool to Vonage.
        services.AddHttpClient(HttpClientName, ConfigureClient)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // Long-lived handler, recycled connections: DNS changes are still picked up.
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            // The factory's per-request Information logs cost two handler layers on every call and
            // repeat what the retry log already says when it matters; add them back with
            // AddHttpClient(HttpClientName).AddDefaultLogger() if you want them.
            .RemoveAllLoggers()
            .AddHttpMessageHandler<VonageResilienceHandler>()
            .AddHttpMessageHandler<VonageAuthHandler>()
            .AddTypedClient<IDeploymentsClient, DeploymentsClient>()
            .AddTypedClient<IProfileClient, ProfileClient>()
            .AddTypedClient<IStickersClient, StickersClient>()
            .AddTypedClient<ITemplatesClient, TemplatesClient>()
            .AddTypedClient<IMediaClient, MediaClient>()
            .AddTypedClient<IVonageJsonReader, VonageJsonReader>();
        services.TryAddTransient<IVonageWhatsAppClient, VonageWhatsAppClient>();
        return services;
    }

    private static void ConfigureClient(IServiceProvider services, HttpClient http)
    {
        var options = services.GetRequiredService<IOptions<VonageOptions>>().Value;
        // A trailing slash keeps a path prefix (a host that mounts the sandbox under /sandbox) in every request.
        http.BaseAddress = new Uri(options.BaseUrl.AbsoluteUri.TrimEnd('/') + "/");
        // Timeouts are the resilience pipeline's job (per attempt and in total).
        http.Timeout = Timeout.InfiniteTimeSpan;
        http.DefaultRequestHeaders.UserAgent.ParseAdd("WabaOrchestrator.Vonage/1.0");
    }

    private static IVonagePrivateKeySource CreateKeySource(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<VonageOptions>>().Value;
        if (!string.IsNullOrWhiteSpace(options.PrivateKey))
        {
            return new InlinePrivateKeySource(options.PrivateKey);
        }

        if (!string.IsNullOrWhiteSpace(options.PrivateKeyPath))
        {
            return new FilePrivateKeySource(options.PrivateKeyPath);
        }

        return new KeyVaultPrivateKeySource(services.GetRequiredKeyedService<SecretClient>(SecretClientKey), options.KeyVault.PrivateKeySecretName!);
    }
}
