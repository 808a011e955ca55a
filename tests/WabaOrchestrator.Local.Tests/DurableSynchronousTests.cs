using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Api.Webhooks;
using WabaOrchestrator.Durable.Sqlite;
using WabaOrchestrator.Local.Webhooks;

namespace WabaOrchestrator.Local.Tests;

/// <summary>Durable:Synchronous from the local host's configuration, on every connection that writes durable.db (2 FULL, 1 NORMAL).</summary>
public sealed class DurableSynchronousTests
{
    [Theory]
    [InlineData(null, 2)]
    [InlineData("Normal", 1)]
    [InlineData("full", 2)]
    public async Task TheSetting_ReachesTheEngineAndTheWebhookTokenStore(string? setting, long expected)
    {
        await using var host = await TempLocalHost.StartAsync(setting is null ? [] : [$"--Durable:Synchronous={setting}"]);

        long engineLevel = -1;
        var engine = host.App.Services.GetRequiredService<SqliteDurableEngine>();
        await engine.SendAsync(new StoreCommand(s => engineLevel = s.Synchronous()), CancellationToken.None);
        var tokens = Assert.IsType<SqliteWebhookTokenStore>(host.App.Services.GetRequiredService<IWebhookTokenStore>());

        Assert.Equal(expected, engineLevel);
        Assert.Equal(expected, await tokens.SynchronousAsync());
    }

    [Fact]
    public async Task TheEngineAndTheTokenStore_WaitOutEachOthersCommitsInSqlite_NotInA150MsRetrySleep()
    {
        await using var host = await TempLocalHost.StartAsync();

        long engineWait = -1;
        var engine = host.App.Services.GetRequiredService<SqliteDurableEngine>();
        await engine.SendAsync(new StoreCommand(s => engineWait = s.BusyTimeout()), CancellationToken.None);
        var tokens = Assert.IsType<SqliteWebhookTokenStore>(host.App.Services.GetRequiredService<IWebhookTokenStore>());

        // Without a busy timeout SQLite reports busy at once and Microsoft.Data.Sqlite sleeps 150 ms before retrying:
        // with Full, a webhook meeting a commit's fsync stalled an onboarding by that much (docs/benchmarks.md).
        Assert.Equal(30_000, engineWait);
        Assert.Equal(30_000, await tokens.BusyTimeoutAsync());
    }

    [Theory]
    [InlineData("Fast")]
    [InlineData("7")]
    public async Task AnUnknownSetting_FailsTheStart_NamingDurableSynchronous(string setting)
    {
        var data = Path.Combine(Path.GetTempPath(), $"waba-local-{Guid.NewGuid():N}");
        try
        {
            var refused = await Assert.ThrowsAnyAsync<InvalidOperationException>(async () =>
            {
                await using var app = LocalApp.Create(["--urls=http://127.0.0.1:0", $"--Local:DataDirectory={data}", "--Logging:LogLevel:Default=Warning", $"--Durable:Synchronous={setting}"]);
                await app.StartAsync();
            });

            Assert.Contains("Durable:Synchronous", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }
}
