using System.Text.Json.Serialization;
using WabaOrchestrator.Vonage.Models;

namespace WabaOrchestrator.Vonage.Templates;

/// <summary>What a template is for. Values Vonage adds later are kept as they come.</summary>
[JsonConverter(typeof(StringValueJsonConverter<TemplateCategory>))]
public readonly record struct TemplateCategory(string Value) : IStringValue<TemplateCategory>
{
    public static TemplateCategory Utility { get; } = new("UTILITY");

    public static TemplateCategory Authentication { get; } = new("AUTHENTICATION");

    public static TemplateCategory Marketing { get; } = new("MARKETING");

    public static IReadOnlyList<TemplateCategory> Known { get; } = [Utility, Authentication, Marketing];

    public static TemplateCategory From(string value) => new(value);

    public override string ToString() => Value ?? "";
}
