using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace WabaOrchestrator.Durable.Sqlite.Tests.Infrastructure;

/// <summary>
/// A started generic host running the engine on a temp SQLite file (or on <c>databasePath</c> when given, which the
/// caller then owns, e.g. to start a second engine on the same file).
/// </summary>
public sealed class EngineHost : IAsyncDisposable
{
    private readonly TempDatabase? _ownedDatabase;
    private bool _stopped;

    private EngineHost(IHost host, string databasePath, TempDatabase? ownedDatabase)
    {
        Host = host;
        DatabasePath = databasePath;
        _ownedDatabase = ownedDatabase;
    }

    public IHost Host { get; }

    public string DatabasePath { get; }

    public IServiceProvider Services => Host.Services;

    public IOrchestrationClient Client => Host.Services.GetRequiredService<IOrchestrationClient>();

    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(20);

    /// <summary>Builds and starts the host; <paramref name="register"/> adds orchestrators and activities.</summary>
    public static async Task<EngineHost> StartAsync(
        Action<IDurableBuilder> register,
        TimeProvider? timeProvider = null,
        string? databasePath = null,
        Action<SqliteDurableEngineOptions>? configure = null,
        Action<IServiceCollection>? services = null)
    {
        var owned = databasePath is null ? new TempDatabase() : null;
        var path = databasePath ?? owned!.Path;
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }

        services?.Invoke(builder.Services);
        register(builder.Services.AddSqliteDurableEngine(o =>
        {
            o.DatabasePath = path;
            configure?.Invoke(o);
        }));
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            owned?.Dispose();
            throw;
        }

        return new EngineHost(host, path, owned);
    }

    /// <summary>Starts an instance and waits until it finishes.</summary>
    public async Task<OrchestrationMetadata> RunAsync(string orchestratorName, string instanceId, object? input = null, TimeSpan? timeout = null)
    {
        await Client.ScheduleNewOrchestrationInstanceAsync(orchestratorName, instanceId, input);
        return await CompletionAsync(instanceId, timeout);
    }

    /// <summary>Waits (with a deadline) until the instance finishes; returns it with input and output.</summary>
    public async Task<OrchestrationMetadata> CompletionAsync(string instanceId, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            return await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            var state = await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
            throw new TimeoutException($"Instance '{instanceId}' did not finish within {(timeout ?? DefaultTimeout).TotalSeconds} s; it is {state?.RuntimeStatus.ToString() ?? "missing"} with custom status {state?.SerializedCustomStatus ?? "none"}.");
        }
    }

    /// <summary>Waits until the instance's custom status satisfies <paramref name="condition"/>.</summary>
    public Task WaitForCustomStatusAsync(string instanceId, Func<string?, bool> condition, TimeSpan? timeout = null) =>
        Poll.UntilAsync(
            async () => condition((await Client.GetInstanceAsync(instanceId))?.SerializedCustomStatus),
            timeout ?? DefaultTimeout,
            $"custom status of '{instanceId}'");

    /// <summary>Stops the host, leaving the database in place.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await Host.StopAsync();
        Host.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _ownedDatabase?.Dispose();
    }
}

public static class EngineHostInternals
{
    /// <summary>The engine itself, for assertions on its internal state (scheduled timers, cache size).</summary>
    internal static SqliteDurableEngine Engine(this EngineHost host) => host.Services.GetRequiredService<SqliteDurableEngine>();
}
