using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Onboarding;

namespace WabaOrchestrator.Api.Onboardings;

/// <summary>Body of <c>GET /api/onboardings/{id}/timeline</c>.</summary>
public sealed record OnboardingTimelineView(
    [property: JsonPropertyName("instanceId")] string InstanceId,
    [property: JsonPropertyName("runtimeStatus")] string RuntimeStatus,
    [property: JsonPropertyName("timeline")] OnboardingTimeline Timeline);

/// <summary>
/// Reads what the workflow recorded (the output's timeline once it ended, the custom status's while it runs or after
/// it failed) and says what the workflow could not: a terminate stops it without running it again, so the engine's
/// terminate reason (its output) and the time become the status's stage and the timeline's last entry.
/// </summary>
internal static class OnboardingTimelines
{
    public static OnboardingTimeline Read(OrchestrationMetadata instance)
    {
        var timeline = Property(instance.SerializedOutput, "timeline") ?? Property(instance.SerializedCustomStatus, "timeline");
        var read = timeline?.Deserialize<OnboardingTimeline>() ?? new OnboardingTimeline();
        return instance.RuntimeStatus == OrchestrationRuntimeStatus.Terminated
            ? read with
            {
                Entries = [.. read.Entries, new TimelineEntry { At = instance.LastUpdatedAt.UtcDateTime, Kind = TimelineKind.Terminated, Detail = TerminateReason(instance) }],
            }
            : read;
    }

    /// <summary>
    /// The custom status as the API shows it: without the timeline (shown only when asked), and for a terminated
    /// instance with stage Terminated and the reason instead of the stage and OTP window it was stopped in.
    /// </summary>
    public static JsonElement? StatusView(OrchestrationMetadata instance)
    {
        if (instance.SerializedCustomStatus is null)
        {
            return null;
        }

        if (JsonNode.Parse(instance.SerializedCustomStatus) is not JsonObject status)
        {
            return JsonDocument.Parse(instance.SerializedCustomStatus).RootElement.Clone();
        }

        status.Remove("timeline");
        if (instance.RuntimeStatus == OrchestrationRuntimeStatus.Terminated)
        {
            status["stage"] = nameof(OnboardingStage.Terminated);
            status["otp"] = null;
            status["next_poll_at"] = null;
            status["reason"] = TerminateReason(instance);
        }

        return JsonSerializer.SerializeToElement(status);
    }

    /// <summary>Both engines keep a terminate's reason as the instance's output, a JSON string.</summary>
    private static string? TerminateReason(OrchestrationMetadata instance) =>
        instance.SerializedOutput is { } output && JsonNode.Parse(output) is JsonValue value && value.TryGetValue<string>(out var reason) ? reason : null;

    private static JsonNode? Property(string? json, string name) =>
        json is not null && JsonNode.Parse(json) is JsonObject obj && obj.TryGetPropertyValue(name, out var node) ? node : null;
}
