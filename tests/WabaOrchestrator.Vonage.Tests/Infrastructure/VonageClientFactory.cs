using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;

namespace WabaOrchestrator.Vonage.Tests.Infrastructure;

/// <summary>Builds the client exactly as a host would (<c>AddVonageWhatsApp(configuration)</c>), plus a recorder.</summary>
public static class VonageClientFactory
{
    /// <summary>Tiny delays so retry tests take milliseconds; attempts and total time are still bounded.</summary>
    public static Dictionary<string, string?> Settings(Uri baseUrl) => new()
    {
        ["Vonage:BaseUrl"] = baseUrl.ToString(),
        ["Vonage:ApplicationId"] = TestApplication.Instance.ApplicationId,
        ["Vonage:PrivateKey"] = TestApplication.Instance.PrivateKeyPem,
        ["Vonage:Resilience:MaxRetryAttempts"] = "3",
        ["Vonage:Resilience:BaseDelay"] = "00:00:00.005",
        ["Vonage:Resilience:MaxDelay"] = "00:00:00.020",
        ["Vonage:Resilience:AttemptTimeout"] = "00:00:15",
        ["Vonage:Resilience:TotalTimeout"] = "00:00:30",
    };

    public static ServiceProvider Create(
        Uri baseUrl, RequestLog? log = null, Action<Dictionary<string, string?>>? settings = null, Action<IServiceCollection>? services = null)
    {
        var values = Settings(baseUrl);
        settings?.Invoke(values);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var collection = new ServiceCollection().AddLogging();
        services?.Invoke(collection);
        collection.AddVonageWhatsApp(configuration);
        if (log is not null)
        {
            // Registered after the client's own handlers, so it is innermost and sees every attempt.
            collection.ConfigureAll<HttpClientFactoryOptions>(o => o.HttpMessageHandlerBuilderActions.Add(b => b.AdditionalHandlers.Add(new RecordingHandler(log))));
        }

        return collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
