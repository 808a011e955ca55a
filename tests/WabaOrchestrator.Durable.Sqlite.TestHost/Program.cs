using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Durable.Sqlite;
using WabaOrchestrator.Durable.Sqlite.TestHost;
using WabaOrchestrator.Durable.Sqlite.TestHost.Chain;
using WabaOrchestrator.Durable.Sqlite.TestHost.Driver;
using WabaOrchestrator.Durable.Sqlite.TestHost.Events;

// The child process of the kill -9 recovery tests (tests/WabaOrchestrator.Durable.Sqlite.Tests/Recovery).
// stdout carries only the protocol lines: "started", "ready", "raised", "done"; logs go to stderr.
var arguments = HostArguments.Parse(args);
var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = args });
builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning)
    .AddFilter("WabaOrchestrator.Durable.Sqlite.SqliteDurableEngine", LogLevel.Information);
builder.Services.AddSingleton(arguments);
builder.Services.AddSingleton(new AuditLog(arguments.AuditPath ?? arguments.DatabasePath + ".audit"));
builder.Services.AddSingleton(new HttpClient { Timeout = Timeout.InfiniteTimeSpan });
builder.Services
    .AddSqliteDurableEngine(o =>
    {
        o.DatabasePath = arguments.DatabasePath;
        o.MaxConcurrentActivities = 8;
    })
    .AddOrchestrator<ChainOrchestrator>()
    .AddOrchestrator<TwoEventsOrchestrator>()
    .AddActivity<StepActivity>()
    .AddActivity<FlakyStepActivity>();

using var host = builder.Build();
using var stop = new CancellationTokenSource();
await host.StartAsync(stop.Token);
Console.Out.WriteLine("started");
Console.Out.Flush();

// SIGTERM/Ctrl+C stop the host's lifetime; the driver has to follow, or the process would never exit.
using var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(stop.Cancel);
var watchParent = WatchParentAsync(arguments.ParentProcessId, stop);
var driver = new ScenarioDriver(arguments, host.Services.GetRequiredService<IOrchestrationClient>(), Console.Out);
int exitCode;
try
{
    exitCode = await driver.RunAsync(stop.Token);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    exitCode = 0;
}

await stop.CancelAsync();
await watchParent;
await host.StopAsync(CancellationToken.None);
return exitCode;

// A test runner that dies must not leave this process running on a shared machine.
static async Task WatchParentAsync(int? parentId, CancellationTokenSource stop)
{
    if (parentId is not { } id)
    {
        return;
    }

    using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
    try
    {
        while (await timer.WaitForNextTickAsync(stop.Token))
        {
            if (!IsAlive(id))
            {
                await Console.Error.WriteLineAsync($"Parent process {id} is gone; exiting.");
                Environment.Exit(3);
            }
        }
    }
    catch (OperationCanceledException)
    {
        // Normal shutdown.
    }
}

static bool IsAlive(int id)
{
    try
    {
        using var parent = Process.GetProcessById(id);
        return !parent.HasExited;
    }
    catch (ArgumentException)
    {
        return false;
    }
}
