using System.Text.Json;
using System.Text.Json.Serialization;

namespace WabaOrchestrator.Vonage.Stickers;

/// <summary>
/// A stickerpack. List and create answers carry only <c>id</c>; get carries the details, so every
/// field is optional.
/// </summary>
public sealed record Stickerpack(
    [property: JsonPropertyName("id")] string? Id = null,
    [property: JsonPropertyName("name")] string? Name = null,
    [property: JsonPropertyName("publisher")] string? Publisher = null,
    [property: JsonPropertyName("android_app_store_link")] string? AndroidAppStoreLink = null,
    [property: JsonPropertyName("ios_app_store_link")] string? IosAppStoreLink = null);

/// <summary>The <c>{"stickerpacks": [...]}</c> envelope every stickerpack operation answers with.</summary>
public sealed record StickerpackList(
    [property: JsonPropertyName("stickerpacks")] IReadOnlyList<Stickerpack> Stickerpacks);

/// <summary>Body of stickerpack creation.</summary>
public sealed record CreateStickerpackRequest(
    [property: JsonPropertyName("publisher")] string Publisher,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("ios_app_store_link")] string? IosAppStoreLink = null,
    [property: JsonPropertyName("android_app_store_link")] string? AndroidAppStoreLink = null);

/// <summary>A sticker: list and create answers carry <c>index</c>; get and delete carry the rest.</summary>
public sealed record Sticker(
    [property: JsonPropertyName("index")] string? Index = null,
    [property: JsonPropertyName("id")] string? Id = null,
    [property: JsonPropertyName("image_data_id")] string? ImageDataId = null,
    [property: JsonPropertyName("emojis"), JsonConverter(typeof(EmojiListConverter))] IReadOnlyList<string>? Emojis = null);

/// <summary>The <c>{"stickers": [...]}</c> envelope every sticker operation answers with.</summary>
public sealed record StickerList(
    [property: JsonPropertyName("stickers")] IReadOnlyList<Sticker> Stickers);

/// <summary>Body of sticker creation.</summary>
public sealed record CreateStickerRequest(
    [property: JsonPropertyName("image_data_id")] string ImageDataId,
    [property: JsonPropertyName("emojis")] IReadOnlyList<string>? Emojis = null);

/// <summary>
/// Emojis are an array of strings; the spec's example nests them (<c>[["🐥","😃"]]</c>), so nested
/// arrays are flattened on read. Always written flat.
/// </summary>
public sealed class EmojiListConverter : JsonConverter<IReadOnlyList<string>>
{
    public override IReadOnlyList<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        using var document = JsonDocument.ParseValue(ref reader);
        var emojis = new List<string>();
        Flatten(document.RootElement, emojis);
        return emojis;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var emoji in value)
        {
            writer.WriteStringValue(emoji);
        }

        writer.WriteEndArray();
    }

    private static void Flatten(JsonElement element, List<string> into)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                into.Add(element.GetString()!);
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Flatten(item, into);
                }

                break;
            default:
                throw new JsonException("Sticker emojis must be strings or arrays of strings.");
        }
    }
}
