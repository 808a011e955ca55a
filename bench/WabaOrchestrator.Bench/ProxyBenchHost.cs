using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using WabaOrchestrator.Api;
using WabaOrchestrator.Api.Proxies;
using WabaOrchestrator.Durable.Sqlite;
using WabaOrchestrator.Onboarding;
using WabaOrchestrator.Sandbox;
using WabaOrchestrator.Vonage;

namespace WabaOrchestrator.Bench;

/// <summary>
/// The API as the local host composes it (Vonage client, embedded engine on a temp SQLite file, onboarding, every
/// <c>/api</c> route behind a function key) in front of an in-process sandbox, each on its own loopback socket.
/// </summary>
internal sealed class ProxyBenchHost : IAsyncDisposable
{
    public const string ApiKey = "bench-api-key-0123456789";

    private readonly string _dataDirectory;

    private ProxyBenchHost(SandboxHost sandbox, WebApplication api, string dataDirectory)
    {
        Sandbox = sandbox;
        Api = api;
        _dataDirectory = dataDirectory;
        ApiAddress = new Uri(api.Urls.First().TrimEnd('/') + "/");
    }

    public SandboxHost Sandbox { get; }

    public WebApplication Api { get; }

    public Uri ApiAddress { get; }

    public static async Task<ProxyBenchHost> StartAsync(CancellationToken cancellationToken)
    {
        using var key = RSA.Create(2048);
        var applicationId = Guid.NewGuid().ToString();
        // Options are built lazily, after this method returns: hand them the PEM text, not the key.
        var publicKey = key.ExportSubjectPublicKeyInfoPem();
        var sandbox = await SandboxHost.StartAsync(
            options => options.Applications.Add(new SandboxApplication { ApplicationId = applicationId, PublicKey = publicKey }),
            cancellationToken: cancellationToken);

        var dataDirectory = Path.Combine(Path.GetTempPath(), $"waba-proxy-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDirectory);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Vonage:BaseUrl"] = sandbox.BaseAddress.AbsoluteUri,
            ["Vonage:ApplicationId"] = applicationId,
            ["Vonage:PrivateKey"] = key.ExportPkcs8PrivateKeyPem(),
            ["Auth:Keys:0"] = ApiKey,
            ["SecretProtection:Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Onboarding:Callbacks:SigningSecret"] = "bench-callback-secret",
        });
        builder.Services.AddVonageWhatsApp(builder.Configuration);
        builder.Services.AddSqliteDurableEngine(o => o.DatabasePath = Path.Combine(dataDirectory, "durable.db")).AddOnboarding();
        builder.Services.AddWabaApi();
        builder.Services.AddApiProxies();
        var api = builder.Build();
        api.MapWabaApi();
        await api.StartAsync(cancellationToken);
        return new ProxyBenchHost(sandbox, api, dataDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        await Api.StopAsync();
        await Api.DisposeAsync();
        await Sandbox.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A SQLite handle still closing; the temp directory is cleaned by the OS eventually.
        }
    }
}
