using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Durable.Sqlite;
using WabaOrchestrator.Testing;

namespace WabaOrchestrator.Local.Tests;

/// <summary>
/// In a web host the engine drains before the web server stops: an activity that calls its own host (as the local
/// host's activities call the embedded sandbox) still gets its answer after the stop has begun.
/// </summary>
public sealed class ShutdownDrainTests
{
    [Fact]
    public async Task Stop_WhileAnActivityWaits_LetsItCallItsOwnHost_AndRecordsItsResult()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"waba-drain-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var database = Path.Combine(directory, "durable.db");
        var gate = new SelfCallGate();
        try
        {
            var first = await StartAsync(database, gate);
            var client = first.Services.GetRequiredService<IOrchestrationClient>();
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(CallsOwnHostOrchestrator), "self-call");
            await gate.Started.Task.WaitAsync(Poll.DefaultTimeout);

            var stopping = first.StopAsync();
            var engine = first.Services.GetRequiredService<SqliteDurableEngine>();
            await Poll.UntilAsync(() => Task.FromResult(!engine.IsRunning), "the engine to stop taking work");
            gate.Open();
            await stopping.WaitAsync(Poll.DefaultTimeout);
            await first.DisposeAsync();

            var second = await StartAsync(database, gate);
            await using (second)
            {
                using var wait = new CancellationTokenSource(Poll.DefaultTimeout);
                var done = await second.Services.GetRequiredService<IOrchestrationClient>().WaitForInstanceCompletionAsync("self-call", getInputsAndOutputs: true, wait.Token);
                Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
                Assert.Equal("pong", done.ReadOutputAs<string>());
                Assert.Equal(1, gate.Runs);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<WebApplication> StartAsync(string database, SelfCallGate gate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(gate);
        builder.Services.AddHttpClient();
        builder.Services.AddSqliteDurableEngine(o => o.DatabasePath = database)
            .AddOrchestrator<CallsOwnHostOrchestrator>()
            .AddActivity<CallsOwnHostActivity>();
        var app = builder.Build();
        app.MapGet("/ping", () => "pong");
        await app.StartAsync();
        gate.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return app;
    }
}

public sealed class SelfCallGate
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _runs;

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Uri? Address { get; set; }

    public int Runs => _runs;

    public void Open() => _open.TrySetResult();

    public async Task<string> PassAsync(HttpClient http, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _runs);
        Started.TrySetResult();
        await _open.Task.WaitAsync(cancellationToken);
        return await http.GetStringAsync(new Uri(Address!, "ping"), cancellationToken);
    }
}

public sealed class CallsOwnHostOrchestrator : Orchestrator<string?, string>
{
    public override Task<string> RunAsync(IOrchestrationContext context, string? input) =>
        context.CallActivityAsync<string>(nameof(CallsOwnHostActivity));
}

public sealed class CallsOwnHostActivity(SelfCallGate gate, IHttpClientFactory http) : Activity<string?, string>
{
    public override Task<string> RunAsync(ActivityContext context, string? input) => gate.PassAsync(http.CreateClient(), context.CancellationToken);
}
