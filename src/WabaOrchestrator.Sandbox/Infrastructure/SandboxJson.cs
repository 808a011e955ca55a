using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WabaOrchestrator.Sandbox.Infrastructure;

internal static class SandboxJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>A JSON response in the APIs' snake_case shape.</summary>
    public static IResult Result<T>(T value, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Json(value, Options, statusCode: statusCode);

    /// <summary>
    /// Reads a JSON object body the way Vonage does: anything that does not parse as a JSON object
    /// is <c>invalid-json</c> (400), never a framework-shaped error.
    /// </summary>
    public static async Task<(JsonObject? Body, VonageProblemResult? Problem)> ReadObjectAsync(HttpRequest request, VonageApi api)
    {
        try
        {
            var node = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            return node is JsonObject obj ? (obj, null) : (null, VonageProblems.InvalidJson(api));
        }
        catch (JsonException)
        {
            return (null, VonageProblems.InvalidJson(api));
        }
    }

    /// <summary>Like <see cref="ReadObjectAsync"/>, but an absent body reads as an empty object (for optional bodies).</summary>
    public static Task<(JsonObject? Body, VonageProblemResult? Problem)> ReadOptionalObjectAsync(HttpRequest request, VonageApi api)
    {
        var hasBody = request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        return hasBody ? ReadObjectAsync(request, api) : Task.FromResult<(JsonObject?, VonageProblemResult?)>((new JsonObject(), null));
    }
}

/// <summary>Pulls typed fields out of a request object, collecting one <see cref="InvalidParameter"/> per bad field.</summary>
internal sealed class FieldReader(JsonObject json)
{
    public List<InvalidParameter> Errors { get; } = [];

    public bool IsValid => Errors.Count == 0;

    public string? RequiredString(string name, int maxLength = int.MaxValue, Regex? pattern = null, string? patternReason = null) =>
        ReadString(name, required: true, maxLength, pattern, patternReason);

    public string? OptionalString(string name, int maxLength = int.MaxValue, Regex? pattern = null, string? patternReason = null) =>
        ReadString(name, required: false, maxLength, pattern, patternReason);

    public bool? OptionalBool(string name)
    {
        if (!json.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return node.GetValue<bool>();
        }

        Errors.Add(new(name, "Must be a boolean."));
        return null;
    }

    public JsonArray? OptionalArray(string name)
    {
        if (!json.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node is JsonArray array)
        {
            return array;
        }

        Errors.Add(new(name, "Must be an array."));
        return null;
    }

    /// <summary>An optional string that must be one of <paramref name="allowed"/> (compared exactly).</summary>
    public string? OptionalEnum(string name, IReadOnlyCollection<string> allowed, bool required = false)
    {
        var value = ReadString(name, required, int.MaxValue, null, null);
        if (value is not null && !allowed.Contains(value))
        {
            Errors.Add(new(name, $"Must be one of: {string.Join(", ", allowed)}."));
            return null;
        }

        return value;
    }

    /// <summary>An optional array of strings; each bad element is reported as <c>name[i]</c>.</summary>
    public List<string>? OptionalStringArray(string name, int maxItems = int.MaxValue, int maxLength = int.MaxValue)
    {
        var array = OptionalArray(name);
        if (array is null)
        {
            return null;
        }

        if (array.Count > maxItems)
        {
            Errors.Add(new(name, $"Must hold at most {maxItems} items."));
            return null;
        }

        var values = new List<string>(array.Count);
        var valid = true;
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonValue item || item.GetValueKind() != JsonValueKind.String)
            {
                Errors.Add(new($"{name}[{i}]", "Must be a string."));
                valid = false;
                continue;
            }

            var value = item.GetValue<string>();
            if (value.Length == 0 || value.Length > maxLength)
            {
                Errors.Add(new($"{name}[{i}]", $"Must be 1 to {maxLength} characters."));
                valid = false;
                continue;
            }

            values.Add(value);
        }

        return valid ? values : null;
    }

    public void Fail(string name, string reason) => Errors.Add(new(name, reason));

    private string? ReadString(string name, bool required, int maxLength, Regex? pattern, string? patternReason)
    {
        if (!json.TryGetPropertyValue(name, out var node) || node is null)
        {
            if (required)
            {
                Errors.Add(new(name, "Is required."));
            }

            return null;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            Errors.Add(new(name, "Must be a string."));
            return null;
        }

        var value = node.GetValue<string>();
        if (required && string.IsNullOrWhiteSpace(value))
        {
            Errors.Add(new(name, "Must not be empty."));
            return null;
        }

        if (value.Length > maxLength)
        {
            Errors.Add(new(name, $"Must be at most {maxLength} characters."));
            return null;
        }

        if (pattern is not null && !pattern.IsMatch(value))
        {
            Errors.Add(new(name, patternReason ?? "Has an invalid format."));
            return null;
        }

        return value;
    }
}
