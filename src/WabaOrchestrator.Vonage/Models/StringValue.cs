using System.Text.Json;
using System.Text.Json.Serialization;

namespace WabaOrchestrator.Vonage.Models;

/// <summary>
/// An open enumeration: a documented set of string values, plus whatever Vonage adds later
/// (kept verbatim, so a new state never breaks deserialisation or gets lost in a proxy).
/// </summary>
public interface IStringValue<TSelf> where TSelf : struct, IStringValue<TSelf>
{
    string Value { get; }

    static abstract TSelf From(string value);

    static abstract IReadOnlyList<TSelf> Known { get; }
}

/// <summary>Reads and writes an <see cref="IStringValue{TSelf}"/> as its raw string.</summary>
public sealed class StringValueJsonConverter<T> : JsonConverter<T> where T : struct, IStringValue<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? T.From(reader.GetString()!)
            : throw new JsonException($"Expected a string for {typeof(T).Name}.");

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}

/// <summary>Helpers shared by the open enumerations.</summary>
public static class StringValues
{
    /// <summary>True when <paramref name="value"/> is one of the documented values.</summary>
    public static bool IsKnown<T>(this T value) where T : struct, IStringValue<T> => T.Known.Contains(value);

    /// <summary>The documented value matching <paramref name="raw"/> exactly, if any.</summary>
    public static bool TryParseKnown<T>(string? raw, out T value) where T : struct, IStringValue<T>
    {
        foreach (var known in T.Known)
        {
            if (string.Equals(known.Value, raw, StringComparison.Ordinal))
            {
                value = known;
                return true;
            }
        }

        value = default;
        return false;
    }
}
