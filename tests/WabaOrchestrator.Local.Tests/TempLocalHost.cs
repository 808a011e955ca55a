using Microsoft.AspNetCore.Builder;

namespace WabaOrchestrator.Local.Tests;

/// <summary>
/// The local host as <c>dotnet run</c> starts it (defaults, embedded sandbox) on a loopback port and its own temp data
/// directory; <see cref="RestartAsync"/> stops it and starts it again on the same data.
/// </summary>
internal sealed class TempLocalHost : IAsyncDisposable
{
    private string[] _settings = [];
    private Action<WebApplicationBuilder>? _configure;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), $"waba-local-{Guid.NewGuid():N}");

    public WebApplication App { get; private set; } = null!;

    public Uri BaseAddress => new(App.Urls.First().TrimEnd('/') + "/");

    /// <param name="settings">Command-line settings on top of the defaults, e.g. <c>--Sandbox:StepDelay=00:00:00.020</c>.</param>
    public static Task<TempLocalHost> StartAsync(params string[] settings) => StartAsync(null, settings);

    /// <param name="configure">Applied to the builder on every start (tests: an in-memory trace exporter).</param>
    /// <param name="settings">As for <see cref="StartAsync(string[])"/>.</param>
    public static async Task<TempLocalHost> StartAsync(Action<WebApplicationBuilder>? configure, params string[] settings)
    {
        var host = new TempLocalHost { _settings = settings, _configure = configure };
        await host.StartAppAsync();
        return host;
    }

    public async Task RestartAsync()
    {
        await StopAppAsync();
        await StartAppAsync();
    }

    /// <param name="withKey">Send the generated API key in <c>x-functions-key</c>.</param>
    public async Task<HttpClient> CreateClientAsync(bool withKey = false)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (withKey)
        {
            client.DefaultRequestHeaders.Add("x-functions-key", await ApiKeyAsync());
        }

        return client;
    }

    public async Task<string> ApiKeyAsync() => (await File.ReadAllTextAsync(Path.Combine(DataDirectory, "api-key"))).Trim();

    public async ValueTask DisposeAsync()
    {
        await StopAppAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }

    private async Task StartAppAsync()
    {
        App = LocalApp.Create(["--urls=http://127.0.0.1:0", $"--Local:DataDirectory={DataDirectory}", "--Logging:LogLevel:Default=Warning", .. _settings], _configure);
        await App.StartAsync();
    }

    private async Task StopAppAsync()
    {
        if (App is null)
        {
            return;
        }

        await App.StopAsync();
        await App.DisposeAsync();
        App = null!;
    }
}
