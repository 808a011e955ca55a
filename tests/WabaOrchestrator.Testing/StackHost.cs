using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WabaOrchestrator.Durable.Sqlite;
using WabaOrchestrator.Onboarding;
using WabaOrchestrator.Sandbox;
using WabaOrchestrator.Vonage;

namespace WabaOrchestrator.Testing;

/// <summary>What a <see cref="StackHost"/> runs on top of the fast defaults.</summary>
public sealed record StackOptions
{
    /// <summary>Sandbox settings on top of the fast defaults (20 ms steps).</summary>
    public Action<SandboxOptions>? ConfigureSandbox { get; init; }

    /// <summary>Host configuration on top of the defaults, e.g. <c>Onboarding:OtpWindow</c>.</summary>
    public IDictionary<string, string?>? Settings { get; init; }

    /// <summary>More services, e.g. the HTTP API.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>More endpoints, e.g. <c>app.MapWabaApi()</c>.</summary>
    public Action<WebApplication>? ConfigureApp { get; init; }

    /// <summary>Extra logging providers, e.g. a capturing one for leak checks.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }
}

/// <summary>
/// The real stack on loopback sockets: a sandbox (its own Kestrel), the Vonage client signing real RS256 tokens with a
/// fresh key the sandbox knows, and the embedded durable engine on a SQLite file in a temp data directory with the
/// onboarding workflow, in a web host that callers extend (the API tests add the HTTP API). Fast timings so an
/// onboarding finishes in about a second. <see cref="RestartAsync"/> stops the web host and starts a new one on the
/// same data, sandbox and key; dispose stops everything and deletes the data.
/// </summary>
public sealed class StackHost : IAsyncDisposable
{
    public const string ApiKey = "test-api-key-0123456789";

    private readonly StackOptions _options;

    private StackHost(StackOptions options, LoopbackVonage vonage, string dataDirectory)
    {
        _options = options;
        Vonage = vonage;
        DataDirectory = dataDirectory;
    }

    /// <summary>The sandbox, its application key and the settings pointing at it.</summary>
    public LoopbackVonage Vonage { get; }

    public SandboxHost Sandbox => Vonage.Sandbox;

    public WebApplication App { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public string ApplicationId => Vonage.ApplicationId;

    public string DataDirectory { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "durable.db");

    public IServiceProvider Services => App.Services;

    /// <summary>Sends the API key in <c>x-functions-key</c>; replaced on restart.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>Talks to the sandbox's control endpoints (<c>/_sandbox/stats</c>, <c>/_sandbox/reset</c>, …).</summary>
    public HttpClient SandboxClient => Vonage.SandboxClient;

    public static async Task<StackHost> StartAsync(StackOptions? options = null)
    {
        options ??= new StackOptions();
        var vonage = await LoopbackVonage.StartAsync(options.ConfigureSandbox);
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"waba-stack-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDirectory);
        var host = new StackHost(options, vonage, dataDirectory);
        await host.StartAppAsync();
        return host;
    }

    /// <summary>Stops the web host (and its engine) and starts a new one on the same data directory.</summary>
    public async Task RestartAsync()
    {
        await StopAppAsync();
        await StartAppAsync();
    }

    public HttpClient CreateClient(string? apiKey = ApiKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("x-functions-key", apiKey);
        }

        return client;
    }

    /// <summary>The sandbox's per-operation counts, e.g. <c>stats["POST /v0.1/whatsapp-manager/deployments"]["202"]</c>.</summary>
    public Task<Dictionary<string, Dictionary<string, int>>> SandboxStatsAsync() => Vonage.StatsAsync();

    public async ValueTask DisposeAsync()
    {
        await StopAppAsync();
        await Vonage.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A handle still closing; the OS cleans its temp directory eventually.
        }
    }

    private async Task StartAppAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        _options.ConfigureLogging?.Invoke(builder.Logging);
        var settings = Vonage.HostSettings();
        settings["Auth:Keys:0"] = ApiKey;
        builder.Configuration.AddInMemoryCollection(settings);
        if (_options.Settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(_options.Settings);
        }

        builder.Services.AddVonageWhatsApp(builder.Configuration);
        builder.Services.AddSqliteDurableEngine(o => o.DatabasePath = DatabasePath).AddOnboarding();
        _options.ConfigureServices?.Invoke(builder.Services);
        var app = builder.Build();
        _options.ConfigureApp?.Invoke(app);
        await app.StartAsync();

        App = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.TrimEnd('/') + "/");
        Client = CreateClient();
    }

    private async Task StopAppAsync()
    {
        if (App is null)
        {
            return;
        }

        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        App = null!;
    }
}
