using Microsoft.Data.Sqlite;

namespace WabaOrchestrator.Durable.Sqlite.Tests.Infrastructure;

/// <summary>Direct reads of an engine's database, to check what was (and was not) persisted.</summary>
internal static class Sql
{
    public static long Count(string databasePath, string table, string where = "1 = 1")
    {
        using var connection = Open(databasePath);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table} WHERE {where}";
        return (long)command.ExecuteScalar()!;
    }

    public static List<HistoryEvent> History(string databasePath, string instanceId)
    {
        using var connection = Open(databasePath);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SqliteStore.HistoryColumns} FROM history WHERE instance_id = $id ORDER BY seq";
        command.Parameters.AddWithValue("$id", instanceId);
        using var reader = command.ExecuteReader();
        var history = new List<HistoryEvent>();
        while (reader.Read())
        {
            history.Add(SqliteStore.ReadHistoryEvent(reader));
        }

        return history;
    }

    private static SqliteConnection Open(string databasePath)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
