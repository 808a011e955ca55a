using System.Text.Json.Serialization;

namespace WabaOrchestrator.Onboarding;

/// <summary>The result of an onboarding that ended without failing (completed, with warnings, or cancelled).</summary>
public sealed record OnboardingOutput
{
    [JsonPropertyName("stage")] public OnboardingStage Stage { get; init; }

    [JsonPropertyName("deployment_id")] public string? DeploymentId { get; init; }

    [JsonPropertyName("waba_id")] public required string WabaId { get; init; }

    [JsonPropertyName("country_code")] public required string CountryCode { get; init; }

    [JsonPropertyName("number")] public required string Number { get; init; }

    [JsonPropertyName("api_key")] public string? ApiKey { get; init; }

    /// <summary>Vonage's state when the onboarding ended.</summary>
    [JsonPropertyName("state")] public string? State { get; init; }

    [JsonPropertyName("profile")] public StepOutcome? Profile { get; init; }

    [JsonPropertyName("photo")] public StepOutcome? Photo { get; init; }

    [JsonPropertyName("warnings")] public IReadOnlyList<string> Warnings { get; init; } = [];

    [JsonPropertyName("timestamps")] public required OnboardingTimestamps Timestamps { get; init; }

    /// <summary>The reason given when the onboarding was cancelled.</summary>
    [JsonPropertyName("reason"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Reason { get; init; }

    [JsonPropertyName("timeline")] public OnboardingTimeline Timeline { get; init; } = new();
}

/// <summary>How an optional step went: <c>applied</c> or <c>rejected</c> (with Vonage's detail).</summary>
public sealed record StepOutcome(
    [property: JsonPropertyName("applied")] bool Applied,
    [property: JsonPropertyName("detail")] string? Detail);

public sealed record OnboardingTimestamps
{
    [JsonPropertyName("started")] public DateTime Started { get; init; }

    [JsonPropertyName("code_sent")] public DateTime? CodeSent { get; init; }

    [JsonPropertyName("verified")] public DateTime? Verified { get; init; }

    [JsonPropertyName("ready")] public DateTime? Ready { get; init; }

    [JsonPropertyName("completed")] public DateTime? Completed { get; init; }
}

/// <summary>Thrown by the orchestrator to end an onboarding as Failed; its message is the reason callers see.</summary>
public sealed class OnboardingFailedException(string message) : Exception(message);
