using System.Text.Json;
using System.Text.Json.Serialization;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Onboarding;

namespace WabaOrchestrator.Api.Onboardings;

/// <summary>
/// One onboarding in Durable Functions' status shape. The input is never shown (it holds the encrypted certificate
/// and PIN); custom status and output carry no secrets by design; a failure shows its reason, never a stack trace.
/// </summary>
public sealed record OnboardingView(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("instanceId")] string InstanceId,
    [property: JsonPropertyName("runtimeStatus")] string RuntimeStatus,
    [property: JsonPropertyName("customStatus")] JsonElement? CustomStatus,
    [property: JsonPropertyName("output")] JsonElement? Output,
    [property: JsonPropertyName("createdTime")] DateTimeOffset CreatedTime,
    [property: JsonPropertyName("lastUpdatedTime")] DateTimeOffset LastUpdatedTime,
    [property: JsonPropertyName("failureDetails"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] FailureView? FailureDetails,
    [property: JsonPropertyName("timeline"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] OnboardingTimeline? Timeline = null)
{
    /// <summary>The timeline only with <paramref name="showHistory"/>, as Durable Functions adds history only when asked.</summary>
    public static OnboardingView From(OrchestrationMetadata instance, bool showHistory) => new(
        instance.Name,
        instance.InstanceId,
        instance.RuntimeStatus.ToString(),
        OnboardingTimelines.StatusView(instance),
        Parse(instance.SerializedOutput),
        instance.CreatedAt,
        instance.LastUpdatedAt,
        instance.FailureDetails is { } failure ? new FailureView(failure.ErrorType, failure.ErrorMessage) : null,
        showHistory ? OnboardingTimelines.Read(instance) : null);

    public static OnboardingView From(OrchestrationMetadata instance) => From(instance, showHistory: false);

    private static JsonElement? Parse(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}

public sealed record FailureView(
    [property: JsonPropertyName("errorType")] string ErrorType,
    [property: JsonPropertyName("errorMessage")] string ErrorMessage);

/// <summary>One page of <c>GET /api/onboardings</c>; the token is also sent as <c>x-ms-continuation-token</c>.</summary>
public sealed record OnboardingPage(
    [property: JsonPropertyName("instances")] IReadOnlyList<OnboardingView> Instances,
    [property: JsonPropertyName("continuationToken")] string? ContinuationToken);
