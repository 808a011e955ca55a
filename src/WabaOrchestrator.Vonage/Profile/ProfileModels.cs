using System.Text.Json.Serialization;

namespace WabaOrchestrator.Vonage.Profile;

/// <summary>
/// The WhatsApp business profile. Every field is optional so the same record serves GET and a
/// partial PATCH (null fields are not sent).
/// </summary>
public sealed record BusinessProfile(
    [property: JsonPropertyName("about")] string? About = null,
    [property: JsonPropertyName("address")] string? Address = null,
    [property: JsonPropertyName("description")] string? Description = null,
    [property: JsonPropertyName("email")] string? Email = null,
    [property: JsonPropertyName("vertical")] ProfileVertical? Vertical = null,
    [property: JsonPropertyName("websites")] IReadOnlyList<string>? Websites = null);

/// <summary>The profile photo (GET answer, and POST body and answer).</summary>
public sealed record ProfilePhoto(
    [property: JsonPropertyName("image_url")] string ImageUrl);
