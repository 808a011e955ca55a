using System.Text.Json.Serialization;
using WabaOrchestrator.Vonage.Models;

namespace WabaOrchestrator.Vonage.Templates;

/// <summary>The quality score filter of the template list. Values Vonage adds later are kept as they come.</summary>
[JsonConverter(typeof(StringValueJsonConverter<TemplateQualityScore>))]
public readonly record struct TemplateQualityScore(string Value) : IStringValue<TemplateQualityScore>
{
    public static TemplateQualityScore Green { get; } = new("GREEN");

    public static TemplateQualityScore Yellow { get; } = new("YELLOW");

    public static TemplateQualityScore Red { get; } = new("RED");

    public static TemplateQualityScore Unknown { get; } = new("UNKNOWN");

    public static IReadOnlyList<TemplateQualityScore> Known { get; } = [Green, Yellow, Red, Unknown];

    public static TemplateQualityScore From(string value) => new(value);

    public override string ToString() => Value ?? "";
}
