using WabaOrchestrator.Api.Infrastructure;
using WabaOrchestrator.Testing;

namespace WabaOrchestrator.Api.Tests.Infrastructure;

/// <summary>The real stack (<see cref="StackHost"/>) with the HTTP API mapped, as both hosts serve it.</summary>
public static class ApiHost
{
    public const string ApiKey = StackHost.ApiKey;
    public const string SignatureSecret = "webhook-signature-secret";

    public static Task<StackHost> StartAsync(StackOptions? options = null)
    {
        options ??= new StackOptions();
        var settings = new Dictionary<string, string?> { ["Vonage:SignatureSecret"] = SignatureSecret };
        foreach (var (key, value) in options.Settings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return StackHost.StartAsync(options with
        {
            Settings = settings,
            ConfigureServices = services =>
            {
                services.AddWabaApi();
                options.ConfigureServices?.Invoke(services);
            },
            ConfigureApp = app =>
            {
                app.UseApiProblems();
                app.MapWabaApi();
                options.ConfigureApp?.Invoke(app);
            },
        });
    }
}
