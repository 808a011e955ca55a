using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace WabaOrchestrator.Sandbox;

/// <summary>
/// Runs the sandbox in-process on a real Kestrel socket (loopback, ephemeral port by default),
/// for tests and the bench. Dispose to stop it.
/// </summary>
public sealed class SandboxHost : IAsyncDisposable
{
    private SandboxHost(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }

    /// <summary>Root of the sandbox, ending in '/'.</summary>
    public Uri BaseAddress { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<SandboxHost> StartAsync(
        Action<SandboxOptions>? configure = null,
        string url = "http://127.0.0.1:0",
        IDictionary<string, string?>? settings = null,
        CancellationToken cancellationToken = default,
        Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        // Before AddVonageSandbox, so a test's TimeProvider wins over its TryAdd of the system clock.
        configureServices?.Invoke(builder.Services);
        builder.Services.AddVonageSandbox();
        if (configure is not null)
        {
            builder.Services.PostConfigure(configure);
        }

        var app = builder.Build();
        app.MapVonageSandbox();
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SandboxHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
