using System.Text.Json.Serialization;
using WabaOrchestrator.Vonage.Models;

namespace WabaOrchestrator.Vonage.Templates;

/// <summary>A component's format: TEXT, or a media HEADER. Values Vonage adds later are kept as they come.</summary>
[JsonConverter(typeof(StringValueJsonConverter<ComponentFormat>))]
public readonly record struct ComponentFormat(string Value) : IStringValue<ComponentFormat>
{
    public static ComponentFormat Text { get; } = new("TEXT");

    public static ComponentFormat Image { get; } = new("IMAGE");

    public static ComponentFormat Video { get; } = new("VIDEO");

    public static ComponentFormat Document { get; } = new("DOCUMENT");

    public static IReadOnlyList<ComponentFormat> Known { get; } = [Text, Image, Video, Document];

    public static ComponentFormat From(string value) => new(value);

    public override string ToString() => Value ?? "";
}
