using System.Text;
using Microsoft.Data.Sqlite;

namespace WabaOrchestrator.Durable.Sqlite;

/// <summary>
/// <see cref="IOrchestrationClient"/> of the embedded engine. Changes go through the engine's dispatcher and return
/// once committed; reads use pooled read connections of their own (WAL readers never block the writer).
/// </summary>
internal sealed class SqliteOrchestrationClient(SqliteDurableEngine engine) : IOrchestrationClient
{
    private const int MaxPageSize = 1000;

    public async Task<string> ScheduleNewOrchestrationInstanceAsync(string orchestratorName, string instanceId, object? input = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orchestratorName);
        ValidateInstanceId(instanceId);
        if (!engine.IsOrchestratorRegistered(orchestratorName))
        {
            throw new UnknownTaskException("orchestrator", orchestratorName);
        }

        var serializedInput = Json.Serialize(input, nameof(input));
        await engine.SendAsync(new StartCommand(instanceId, orchestratorName, serializedInput, DurableTelemetry.CurrentParent()), cancellationToken);
        return instanceId;
    }

    public Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        return StoreErrors.ReadAsync(() => ReadInstanceAsync(instanceId, getInputsAndOutputs, cancellationToken));
    }

    public Task<OrchestrationQueryResult> QueryInstancesAsync(OrchestrationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.PageSize is < 1 or > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.PageSize, $"{nameof(OrchestrationQuery.PageSize)} must be between 1 and {MaxPageSize}.");
        }

        return StoreErrors.ReadAsync(() => QueryAsync(query, cancellationToken));
    }

    private async Task<OrchestrationMetadata?> ReadInstanceAsync(string instanceId, bool getInputsAndOutputs, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SqliteStore.InstanceColumns} FROM instances WHERE instance_id = $id";
        command.Parameters.AddWithValue("$id", instanceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? SqliteStore.ReadRecord(reader).ToMetadata(getInputsAndOutputs) : null;
    }

    private async Task<OrchestrationQueryResult> QueryAsync(OrchestrationQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var sql = new StringBuilder($"SELECT {SqliteStore.InstanceColumns} FROM instances WHERE 1 = 1");
        if (query.Statuses is { Count: > 0 } statuses)
        {
            sql.Append(" AND status IN (").AppendJoin(", ", statuses.Select((_, i) => $"$status{i}")).Append(')');
            var i = 0;
            foreach (var status in statuses)
            {
                command.Parameters.AddWithValue($"$status{i++}", (int)status);
            }
        }

        AddFilter(command, sql, query.Name, " AND name = $name", "$name");
        AddFilter(command, sql, query.InstanceIdPrefix, " AND substr(instance_id, 1, length($prefix)) = $prefix", "$prefix");
        AddFilter(command, sql, query.CreatedFrom?.UtcTicks, " AND created_at >= $from", "$from");
        AddFilter(command, sql, query.CreatedTo?.UtcTicks, " AND created_at <= $to", "$to");
        if (query.ContinuationToken is { } token)
        {
            var (createdAt, lastId) = ParseToken(token);
            sql.Append(" AND (created_at < $afterCreated OR (created_at = $afterCreated AND instance_id < $afterId))");
            command.Parameters.AddWithValue("$afterCreated", createdAt);
            command.Parameters.AddWithValue("$afterId", lastId);
        }

        sql.Append(" ORDER BY created_at DESC, instance_id DESC LIMIT $limit");
        command.Parameters.AddWithValue("$limit", query.PageSize + 1);
        command.CommandText = sql.ToString();

        var records = new List<InstanceRecord>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                records.Add(SqliteStore.ReadRecord(reader));
            }
        }

        string? next = null;
        if (records.Count > query.PageSize)
        {
            records.RemoveAt(records.Count - 1);
            next = CreateToken(records[^1]);
        }

        return new OrchestrationQueryResult(records.Select(r => r.ToMetadata(query.FetchInputsAndOutputs)).ToList(), next);
    }

    public async Task RaiseEventAsync(string instanceId, string eventName, object? eventData = null, CancellationToken cancellationToken = default)
    {
        ValidateInstanceId(instanceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        var data = Json.Serialize(eventData, nameof(eventData));
        await engine.SendAsync(new RaiseEventCommand(instanceId, eventName, data, DurableTelemetry.CurrentParent()), cancellationToken);
    }

    public async Task TerminateInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default)
    {
        ValidateInstanceId(instanceId);
        await engine.SendAsync(new TerminateCommand(instanceId, reason), cancellationToken);
    }

    public Task<bool> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        ValidateInstanceId(instanceId);
        return engine.SendAsync(new PurgeCommand(instanceId), cancellationToken);
    }

    public async Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellationToken = default)
    {
        ValidateInstanceId(instanceId);

        // Register before reading, so a completion committed in between is not missed.
        var finished = engine.RegisterCompletionWaiter(instanceId);
        try
        {
            var state = await GetInstanceAsync(instanceId, getInputsAndOutputs, cancellationToken)
                ?? throw new OrchestrationNotFoundException(instanceId);
            if (state.IsCompleted)
            {
                return state;
            }

            // The final row comes with the signal; a finished instance's record is never changed again.
            return (await finished.Task.WaitAsync(cancellationToken)).ToMetadata(getInputsAndOutputs);
        }
        finally
        {
            engine.UnregisterCompletionWaiter(instanceId, finished);
        }
    }

    private static void ValidateInstanceId(string instanceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        if (instanceId.Length > 256)
        {
            throw new ArgumentException("An instance id is at most 256 characters.", nameof(instanceId));
        }
    }

    private static void AddFilter(SqliteCommand command, StringBuilder sql, object? value, string condition, string parameter)
    {
        if (value is not null)
        {
            sql.Append(condition);
            command.Parameters.AddWithValue(parameter, value);
        }
    }

    private static string CreateToken(InstanceRecord last) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(FormattableString.Invariant($"{last.CreatedAt.Ticks}|{last.InstanceId}")));

    private static (long CreatedAt, string InstanceId) ParseToken(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var separator = text.IndexOf('|', StringComparison.Ordinal);
            if (separator > 0 && long.TryParse(text.AsSpan(0, separator), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var createdAt))
            {
                return (createdAt, text[(separator + 1)..]);
            }
        }
        catch (FormatException)
        {
            // Reported below with the field name.
        }

        throw new ArgumentException($"{nameof(OrchestrationQuery.ContinuationToken)} is not a token returned by a previous query.", "query");
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(engine.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
