using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Durable.Sqlite;

namespace WabaOrchestrator.Bench;

/// <summary>The embedded engine on a fresh SQLite file in a temp folder, with the bench workloads registered.</summary>
internal sealed class EngineBenchHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _directory;

    private EngineBenchHost(IHost host, string directory)
    {
        _host = host;
        _directory = directory;
    }

    public IOrchestrationClient Client => _host.Services.GetRequiredService<IOrchestrationClient>();

    public static Task<EngineBenchHost> StartAsync(CancellationToken cancellationToken) => StartAsync(SqliteSynchronous.Full, cancellationToken);

    public static async Task<EngineBenchHost> StartAsync(SqliteSynchronous synchronous, CancellationToken cancellationToken)
    {
        var directory = BenchApi.NewDataDirectory("engine");
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services
            .AddSqliteDurableEngine(o =>
            {
                o.DatabasePath = Path.Combine(directory, "bench.db");
                o.Synchronous = synchronous;
            })
            .AddOrchestrator<EngineChainOrchestrator>()
            .AddOrchestrator<EngineLoopOrchestrator>()
            .AddOrchestrator<EngineWaitingOrchestrator>()
            .AddActivity<EngineNoOpActivity>()
            .AddActivity<EngineTimedActivity>();
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new EngineBenchHost(host, directory);
    }

    /// <summary>Starts an instance and waits for it to finish; true when it completed.</summary>
    public async Task<bool> RunAsync(string orchestrator, string instanceId, object? input, CancellationToken cancellationToken)
    {
        await Client.ScheduleNewOrchestrationInstanceAsync(orchestrator, instanceId, input, cancellationToken);
        var done = await Client.WaitForInstanceCompletionAsync(instanceId, cancellationToken: cancellationToken);
        return done.RuntimeStatus == OrchestrationRuntimeStatus.Completed;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        BenchApi.DeleteDataDirectory(_directory);
    }
}
