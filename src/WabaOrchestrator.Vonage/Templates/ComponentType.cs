using System.Text.Json.Serialization;
using WabaOrchestrator.Vonage.Models;

namespace WabaOrchestrator.Vonage.Templates;

/// <summary>The part of a template a component is. Values Vonage adds later are kept as they come.</summary>
[JsonConverter(typeof(StringValueJsonConverter<ComponentType>))]
public readonly record struct ComponentType(string Value) : IStringValue<ComponentType>
{
    public static ComponentType Header { get; } = new("HEADER");

    public static ComponentType Body { get; } = new("BODY");

    public static ComponentType Footer { get; } = new("FOOTER");

    public static ComponentType Buttons { get; } = new("BUTTONS");

    public static IReadOnlyList<ComponentType> Known { get; } = [Header, Body, Footer, Buttons];

    public static ComponentType From(string value) => new(value);

    public override string ToString() => Value ?? "";
}
