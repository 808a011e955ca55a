using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WabaOrchestrator.Durable.Sqlite.Tests.Infrastructure;
using WabaOrchestrator.Durable.Sqlite.Tests.Workflows;

namespace WabaOrchestrator.Durable.Sqlite.Tests;

public sealed class SchemaUpgradeTests
{
    [Fact]
    public async Task DatabaseWrittenBeforeTraceColumns_GetsThem_AndItsWaitingInstanceFinishes()
    {
        using var database = new TempDatabase();
        await using (var first = await EngineHost.StartAsync(
            Registrations.All,
            databasePath: database.Path,
            services: s => s.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(100))))
        {
            await first.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Gated), "gated", "gated");
            await Poll.UntilAsync(() => first.Counter()["gated"] == 1, EngineHost.DefaultTimeout, "gated activity started");
        }

        // The file as the engine wrote it before spans were stored with instances and work items.
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database.Path, Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "ALTER TABLE instances DROP COLUMN trace_parent; ALTER TABLE activity_work DROP COLUMN trace_parent;";
            command.ExecuteNonQuery();
        }

        Assert.Equal(1, Sql.Count(database.Path, "activity_work"));
        await using var second = await EngineHost.StartAsync(Registrations.All, databasePath: database.Path);
        second.Services.GetRequiredService<ActivityGate>().Open();

        var gated = await second.CompletionAsync("gated");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, gated.RuntimeStatus);
        Assert.Equal(1, Sql.Count(database.Path, "pragma_table_info('instances')", "name = 'trace_parent'"));
        Assert.Equal(1, Sql.Count(database.Path, "pragma_table_info('activity_work')", "name = 'trace_parent'"));
    }
}
