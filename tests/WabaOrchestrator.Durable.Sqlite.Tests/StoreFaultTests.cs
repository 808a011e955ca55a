using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Durable.Sqlite.Tests.Infrastructure;
using WabaOrchestrator.Durable.Sqlite.Tests.Workflows;

namespace WabaOrchestrator.Durable.Sqlite.Tests;

public sealed class StoreFaultTests
{
    [Fact]
    public async Task Start_OnADamagedDatabase_IsRefused_NamingTheFileAndTheRecoverySteps()
    {
        using var database = new TempDatabase();
        await using (var first = await EngineHost.StartAsync(Registrations.All, databasePath: database.Path))
        {
            for (var i = 0; i < 20; i++)
            {
                await first.RunAsync(nameof(Chain), $"before-damage-{i}", new StepInput($"before-damage-{i}", 3));
            }
        }

        DamageHistoryRootPage(database.Path);

        var refused = await Assert.ThrowsAsync<DurableStoreUnavailableException>(() => EngineHost.StartAsync(Registrations.All, databasePath: database.Path));

        Assert.Equal(DurableStoreFailure.Corrupt, refused.Reason);
        Assert.Contains(Path.GetFullPath(database.Path), refused.Message, StringComparison.Ordinal);
        Assert.Contains("quick_check", refused.Message, StringComparison.Ordinal);
        Assert.Contains(".recover", refused.Message, StringComparison.Ordinal);
        Assert.Contains("stop the host", refused.Message, StringComparison.Ordinal);
        Assert.Contains("move the file", refused.Message, StringComparison.Ordinal);

        // The refusal released the file: once it is moved aside, the engine starts empty on the same path.
        File.Move(database.Path, database.Path + ".damaged");
        await using var fresh = await EngineHost.StartAsync(Registrations.All, databasePath: database.Path);
        Assert.Equal(3, (await fresh.RunAsync(nameof(Chain), "after-recovery", new StepInput("after-recovery", 3))).ReadOutputAs<int>());
    }

    [Fact]
    public async Task WhileTheDiskIsFull_StartsFailAsStoreUnavailable_HealthIsUnhealthy_AndBothRecoverWhenThereIsRoom()
    {
        await using var host = await EngineHost.StartAsync(Registrations.All);
        var health = host.Services.GetRequiredService<SqliteDurableEngineHealth>();
        Assert.True((await health.CheckAsync()).Healthy);
        var engine = host.Engine();
        await engine.SendAsync(new StoreCommand(s => s.CapAtCurrentSize()), CancellationToken.None);

        // Starts fill the pages that are left; then SQLite answers SQLITE_FULL, as on a full disk.
        DurableStoreUnavailableException? full = null;
        for (var i = 0; i < 1_000 && full is null; i++)
        {
            try
            {
                await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(WaitForStop), $"filler-{i}", new string('x', 500));
            }
            catch (DurableStoreUnavailableException e)
            {
                full = e;
            }
        }

        Assert.NotNull(full);
        Assert.Equal(DurableStoreFailure.Full, full.Reason);
        Assert.True(full.RetryAfter >= TimeSpan.FromSeconds(1));
        Assert.IsType<SqliteException>(full.InnerException);
        var unhealthy = await health.CheckAsync();
        Assert.False(unhealthy.Healthy);
        Assert.Contains("commits failed", unhealthy.Description, StringComparison.Ordinal);

        await engine.SendAsync(new StoreCommand(s => s.LiftSizeCap()), CancellationToken.None);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(WaitForStop), "after-room");
        var healthy = await health.CheckAsync();
        Assert.True(healthy.Healthy, healthy.Description);
    }

    /// <summary>Overwrites the history table's root b-tree page with garbage, as a torn write or bad disk would.</summary>
    private static void DamageHistoryRootPage(string databasePath)
    {
        long rootPage;
        long pageSize;
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            command.ExecuteNonQuery();
            command.CommandText = "SELECT rootpage FROM sqlite_master WHERE name = 'history'";
            rootPage = (long)command.ExecuteScalar()!;
            command.CommandText = "PRAGMA page_size";
            pageSize = (long)command.ExecuteScalar()!;
        }

        using var file = new FileStream(databasePath, FileMode.Open, FileAccess.Write);
        file.Seek((rootPage - 1) * pageSize, SeekOrigin.Begin);
        var garbage = new byte[pageSize];
        new Random(14).NextBytes(garbage);
        file.Write(garbage);
    }
}
