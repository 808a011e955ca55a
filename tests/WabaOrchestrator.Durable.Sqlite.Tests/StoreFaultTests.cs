using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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

    [Fact]
    public async Task AResultThatCannotBeCommitted_IsRetriedWithExponentialBackOffCappedAtFiveSeconds_AndCommittedOnceTheStoreRecovers()
    {
        var time = new ManualTimeProvider();
        var logs = new ListLoggerProvider();
        await using var host = await EngineHost.StartAsync(Registrations.All, time, services: s => s.AddLogging(b => b.AddProvider(logs)));
        var engine = host.Engine();
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Gated), "backoff", "backoff");
        await Poll.UntilAsync(() => host.Counter()["backoff"] == 1, EngineHost.DefaultTimeout, "gated activity started");

        // Every write now fails with SQLITE_READONLY, a real refusal of the engine's own connection.
        await engine.SendAsync(new StoreCommand(s => s.SetQueryOnly(true)), CancellationToken.None);
        host.Services.GetRequiredService<ActivityGate>().Open();

        // The clock stands still between steps, so each retry happens only when the test moves it by the logged delay.
        int[] expected = [50, 100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000];
        for (var attempt = 1; attempt <= expected.Length; attempt++)
        {
            await Poll.UntilAsync(() => FailedCommits(logs).Count == attempt, EngineHost.DefaultTimeout, $"failed commit {attempt}");
            Assert.Equal(expected[attempt - 1], FailedCommits(logs)[^1]);
            time.Advance(TimeSpan.FromMilliseconds(expected[attempt - 1]));
        }

        await Poll.UntilAsync(() => FailedCommits(logs).Count == expected.Length + 1, EngineHost.DefaultTimeout, "the last failed commit");
        Assert.False((await host.Services.GetRequiredService<SqliteDurableEngineHealth>().CheckAsync()).Healthy);
        await engine.SendAsync(new StoreCommand(s => s.SetQueryOnly(false)), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(5));

        var done = await host.CompletionAsync("backoff");
        Assert.Equal(70, done.ReadOutputAs<int>());
        Assert.Equal(1, host.Counter()["backoff"]);
        Assert.True((await host.Services.GetRequiredService<SqliteDurableEngineHealth>().CheckAsync()).Healthy);
    }

    [Fact]
    public async Task AnErrorThatEndsTheDispatcher_IsLogged_TurnsHealthUnhealthy_AndCommandsAreRefusedInsteadOfHanging()
    {
        var logs = new ListLoggerProvider();
        await using var host = await EngineHost.StartAsync(Registrations.All, services: s => s.AddLogging(b => b.AddProvider(logs)));
        var engine = host.Engine();

        // The connection closes under the dispatcher: its next batch fails with an InvalidOperationException, not SQLite's.
        await engine.SendAsync(new StoreCommand(s => s.BreakConnection()), CancellationToken.None);

        var refused = await Assert.ThrowsAsync<DurableStoreUnavailableException>(() => host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Chain), "after-fault", new StepInput("after-fault", 1)).WaitAsync(EngineHost.DefaultTimeout));
        Assert.Equal(DurableStoreFailure.Stopped, refused.Reason);
        var health = await host.Services.GetRequiredService<SqliteDurableEngineHealth>().CheckAsync();
        Assert.False(health.Healthy);
        Assert.Contains("stopped making progress", health.Description, StringComparison.Ordinal);
        Assert.Contains(logs.Lines, l => l.Contains("dispatcher ended with an error", StringComparison.Ordinal));
    }

    /// <summary>The retry delay (ms) of each "could not commit" log line, in order.</summary>
    private static List<int> FailedCommits(ListLoggerProvider logs) =>
        [.. logs.Lines.Select(l => Regex.Match(l, @"could not commit .* retried in (\d+) ms")).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

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
