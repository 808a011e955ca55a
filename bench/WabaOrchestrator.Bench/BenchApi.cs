using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WabaOrchestrator.Api;
using WabaOrchestrator.Api.Webhooks;
using WabaOrchestrator.Durable.Sqlite;
using WabaOrchestrator.Local.Webhooks;
using WabaOrchestrator.Onboarding;
using WabaOrchestrator.Sandbox;
using WabaOrchestrator.Vonage;

namespace WabaOrchestrator.Bench;

/// <summary>
/// The API as the local host composes it (every <c>/api</c> route behind a function key, the Vonage client signing real
/// RS256 tokens, the embedded engine on a SQLite file in a temp data directory, onboarding) in front of an in-process
/// sandbox; the benchmarks' hosts add their own taps and routes to the returned builder.
/// </summary>
internal static class BenchApi
{
    public static WebApplicationBuilder CreateBuilder(
        string url, SandboxHost sandbox, string applicationId, RSA key, string apiKey, string dataDirectory, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Vonage:BaseUrl"] = sandbox.BaseAddress.AbsoluteUri,
            ["Vonage:ApplicationId"] = applicationId,
            ["Vonage:PrivateKey"] = key.ExportPkcs8PrivateKeyPem(),
            ["Auth:Keys:0"] = apiKey,
            ["SecretProtection:Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Services.AddVonageWhatsApp(builder.Configuration);
        var database = Path.Combine(dataDirectory, "durable.db");
        builder.Services.AddSqliteDurableEngine(o =>
        {
            builder.Configuration.GetSection("Durable").Bind(o);
            o.DatabasePath = database;
        }).AddOnboarding();
        builder.Services.AddWabaApi();
        // As the local host: used webhook tokens are claimed in durable.db, with the engine's Durable:Synchronous.
        builder.Services.AddSingleton<IWebhookTokenStore>(sp => new SqliteWebhookTokenStore(
            database, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<SqliteDurableEngineOptions>>().Value.Synchronous));
        return builder;
    }

    public static string NewDataDirectory(string name)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"waba-{name}-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        return directory;
    }

    public static void DeleteDataDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A SQLite handle still closing; the OS cleans its temp directory eventually, and a bench run must not fail on it.
        }
    }
}
