using System.Text.Json;

namespace WabaOrchestrator.Durable.Sqlite;

/// <summary>Payload (de)serialisation with <see cref="DurableJson.Options"/>; null stays null (no "null" strings stored).</summary>
internal static class Json
{
    public static string? Serialize(object? value, string what)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Serialize(value, value.GetType(), DurableJson.Options);
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
        {
            throw new ArgumentException($"The {what} ({value.GetType().Name}) cannot be serialised as JSON: {ex.Message}", what, ex);
        }
    }

    public static object? Deserialize(string? json, Type type)
    {
        if (json is null)
        {
            return type.IsValueType && Nullable.GetUnderlyingType(type) is null ? Activator.CreateInstance(type) : null;
        }

        return JsonSerializer.Deserialize(json, type, DurableJson.Options);
    }

    public static T Deserialize<T>(string? json) => (T)Deserialize(json, typeof(T))!;

    public static string SerializeFailure(FailureDetails failure) => JsonSerializer.Serialize(failure, DurableJson.Options);

    public static FailureDetails DeserializeFailure(string json) =>
        JsonSerializer.Deserialize<FailureDetails>(json, DurableJson.Options) ?? throw new JsonException("Empty failure details.");
}
