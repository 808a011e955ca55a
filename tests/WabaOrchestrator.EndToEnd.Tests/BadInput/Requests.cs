using System.Text;

namespace WabaOrchestrator.EndToEnd.Tests.BadInput;

/// <summary>Shorthands the corpus files build their cases with.</summary>
public static class Requests
{
    public const string Json = "application/json";

    public static KeyValuePair<string, string> Header(string name, string value) => new(name, value);

    public static KeyValuePair<string, string> Key(string key) => Header("x-functions-key", key);

    public static KeyValuePair<string, string> ContentType(string value) => Header("Content-Type", value);

    /// <summary>A request with the valid key and, with a body, the given content type.</summary>
    public static BadRequestCase Keyed(
        CorpusContext context, string name, string method, string target, string? json = null, int? status = null, string contentType = Json) =>
        Keyed(context, name, method, target, json is null ? null : RequestBody.Of(json), status, contentType);

    public static BadRequestCase Keyed(
        CorpusContext context, string name, string method, string target, RequestBody? body, int? status = null, string contentType = Json) =>
        new(name, method, target, body is null ? [Key(context.ApiKey)] : [Key(context.ApiKey), ContentType(contentType)], body, status);

    /// <summary>Percent-encodes every byte of <paramref name="value"/>'s UTF-8 outside the unreserved set.</summary>
    public static string Encode(string value) => Uri.EscapeDataString(value);

    public static string Repeat(char c, int count) => new(c, count);

    /// <summary><paramref name="json"/> cut after <paramref name="parts"/> evenly spaced lengths: every cut is malformed JSON.</summary>
    public static IEnumerable<(int Length, string Json)> Truncations(string json, int parts)
    {
        for (var i = 1; i <= parts; i++)
        {
            var length = json.Length * i / (parts + 1);
            if (length > 0)
            {
                yield return (length, json[..length]);
            }
        }
    }

    /// <summary>An array nested <paramref name="depth"/> deep: far past any parser's depth limit.</summary>
    public static string Nested(int depth) => new StringBuilder().Append('[', depth).Append(']', depth).ToString();
}
