using System.Text.Json.Serialization;
using WabaOrchestrator.Vonage.Models;

namespace WabaOrchestrator.Vonage.Templates;

/// <summary>A template button's kind. Values Vonage adds later are kept as they come.</summary>
[JsonConverter(typeof(StringValueJsonConverter<ButtonType>))]
public readonly record struct ButtonType(string Value) : IStringValue<ButtonType>
{
    public static ButtonType QuickReply { get; } = new("QUICK_REPLY");

    public static ButtonType Url { get; } = new("URL");

    public static ButtonType PhoneNumber { get; } = new("PHONE_NUMBER");

    public static IReadOnlyList<ButtonType> Known { get; } = [QuickReply, Url, PhoneNumber];

    public static ButtonType From(string value) => new(value);

    public override string ToString() => Value ?? "";
}
