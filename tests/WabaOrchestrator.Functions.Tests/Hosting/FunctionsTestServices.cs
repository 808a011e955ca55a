using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Functions.Hosting;

namespace WabaOrchestrator.Functions.Tests.Hosting;

/// <summary>The Functions host's real registrations (<see cref="FunctionsServices.AddWabaFunctions"/>) over test settings.</summary>
internal static class FunctionsTestServices
{
    public const string SignatureSecret = "webhook-signature-secret-for-tests-0123456789";

    public static IConfiguration Configuration() => new ConfigurationBuilder().AddInMemoryCollection(Settings()).Build();

    /// <summary>
    /// The settings the host needs to start, none of them Azure's: no Key Vault, and storage at Azurite's address, to
    /// which nothing here connects (the webhook token store is built from it).
    /// </summary>
    public static Dictionary<string, string?> Settings()
    {
        using var rsa = RSA.Create(2048);
        return new Dictionary<string, string?>
        {
            ["Vonage:BaseUrl"] = "http://127.0.0.1:9/",
            ["Vonage:ApplicationId"] = "00000000-0000-0000-0000-000000000001",
            ["Vonage:PrivateKey"] = rsa.ExportPkcs8PrivateKeyPem(),
            ["Vonage:SignatureSecret"] = SignatureSecret,
            ["SecretProtection:Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        };
    }

    public static IServiceCollection Collection(Action<IServiceCollection>? configure = null)
    {
        var configuration = Configuration();
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging();
        services.AddWabaFunctions(configuration);
        configure?.Invoke(services);
        return services;
    }

    /// <summary>Validated as the Functions host validates in Development (every registration resolvable, scopes checked).</summary>
    public static ServiceProvider Provider(Action<IServiceCollection>? configure = null) =>
        Collection(configure).BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
}
