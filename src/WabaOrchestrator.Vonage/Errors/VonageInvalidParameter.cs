using System.Text.Json.Serialization;

namespace WabaOrchestrator.Vonage.Errors;

/// <summary>One entry of a problem document's <c>invalid_parameters</c>.</summary>
public sealed record VonageInvalidParameter(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("reason")] string? Reason);
