namespace WabaOrchestrator.Durable.Sqlite;

/// <summary>The row of an instance in <c>instances</c>, as the dispatcher keeps it between commits.</summary>
internal sealed class InstanceRecord
{
    public required string InstanceId { get; init; }

    public required string Name { get; init; }

    public required string ExecutionId { get; init; }

    public OrchestrationRuntimeStatus Status { get; set; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; set; }

    public string? Input { get; init; }

    public string? Output { get; set; }

    public string? CustomStatus { get; set; }

    public FailureDetails? Failure { get; set; }

    /// <summary>W3C traceparent every span of the instance continues (also after a restart); null when untraced.</summary>
    public string? TraceParent { get; set; }

    public bool IsRunning => Status is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending;

    public OrchestrationMetadata ToMetadata(bool withInputsAndOutputs) => new(Name, InstanceId)
    {
        RuntimeStatus = Status,
        CreatedAt = new DateTimeOffset(CreatedAt, TimeSpan.Zero),
        LastUpdatedAt = new DateTimeOffset(UpdatedAt, TimeSpan.Zero),
        SerializedInput = withInputsAndOutputs ? Input : null,
        SerializedOutput = withInputsAndOutputs ? Output : null,
        SerializedCustomStatus = CustomStatus,
        FailureDetails = Failure,
    };
}
