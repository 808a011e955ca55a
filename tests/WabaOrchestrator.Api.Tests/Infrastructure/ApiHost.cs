using WabaOrchestrator.Testing;

namespace WabaOrchestrator.Api.Tests.Infrastructure;

/// <summary>The real stack (<see cref="StackHost"/>) with the HTTP API mapped, as both hosts serve it.</summary>
public static class ApiHost
{
    public const string ApiKey = StackHost.ApiKey;

    public static Task<StackHost> StartAsync(StackOptions? options = null)
    {
        options ??= new StackOptions();
        return StackHost.StartAsync(options with
        {
            ConfigureServices = services =>
            {
                services.AddWabaApi();
                options.ConfigureServices?.Invoke(services);
            },
            ConfigureApp = app =>
            {
                app.MapWabaApi();
                options.ConfigureApp?.Invoke(app);
            },
        });
    }
}
