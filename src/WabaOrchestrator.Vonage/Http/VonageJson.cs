using System.Text.Json;
using System.Text.Json.Serialization;

namespace WabaOrchestrator.Vonage.Http;

/// <summary>
/// Serializer settings for both APIs. Every model also names its properties explicitly, so the
/// models keep Vonage's snake_case even when a host serializes them with its own options.
/// </summary>
public static class VonageJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
