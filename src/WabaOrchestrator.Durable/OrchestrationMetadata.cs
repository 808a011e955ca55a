using System.Text.Json;

namespace WabaOrchestrator.Durable;

/// <summary>Runtime status values and meanings of <c>Microsoft.DurableTask.Client.OrchestrationRuntimeStatus</c>.</summary>
public enum OrchestrationRuntimeStatus
{
    Running = 0,
    Completed = 1,
    Failed = 3,
    Terminated = 5,
    Pending = 6,
}

/// <summary>An instance's state, as returned by <see cref="IOrchestrationClient"/>.</summary>
public sealed record OrchestrationMetadata(string Name, string InstanceId)
{
    public OrchestrationRuntimeStatus RuntimeStatus { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset LastUpdatedAt { get; init; }

    /// <summary>JSON; only filled when inputs and outputs were requested.</summary>
    public string? SerializedInput { get; init; }

    /// <summary>JSON; only filled when inputs and outputs were requested.</summary>
    public string? SerializedOutput { get; init; }

    public string? SerializedCustomStatus { get; init; }

    public FailureDetails? FailureDetails { get; init; }

    public bool IsRunning => RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending;

    public bool IsCompleted => !IsRunning;

    public T? ReadInputAs<T>() => Read<T>(SerializedInput);

    public T? ReadOutputAs<T>() => Read<T>(SerializedOutput);

    public T? ReadCustomStatusAs<T>() => Read<T>(SerializedCustomStatus);

    private static T? Read<T>(string? json) => json is null ? default : JsonSerializer.Deserialize<T>(json, DurableJson.Options);
}

/// <summary>Filters and paging for <see cref="IOrchestrationClient.QueryInstancesAsync"/>.</summary>
public sealed record OrchestrationQuery
{
    public IReadOnlyCollection<OrchestrationRuntimeStatus>? Statuses { get; init; }

    /// <summary>Exact orchestrator name.</summary>
    public string? Name { get; init; }

    public string? InstanceIdPrefix { get; init; }

    public DateTimeOffset? CreatedFrom { get; init; }

    public DateTimeOffset? CreatedTo { get; init; }

    /// <summary>1..1000.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>Opaque token from the previous page; null for the first page.</summary>
    public string? ContinuationToken { get; init; }

    public bool FetchInputsAndOutputs { get; init; }
}

public sealed record OrchestrationQueryResult(IReadOnlyList<OrchestrationMetadata> Instances, string? ContinuationToken);

/// <summary>The JSON settings both engines use for inputs, outputs, events and custom status.</summary>
public static class DurableJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
