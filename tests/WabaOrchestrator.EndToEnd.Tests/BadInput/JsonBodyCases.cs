using System.Text;
using static WabaOrchestrator.EndToEnd.Tests.BadInput.Requests;

namespace WabaOrchestrator.EndToEnd.Tests.BadInput;

/// <summary>
/// The malformations every JSON endpoint gets alike: broken and truncated JSON (400), a root that is not an object
/// (400), and a valid body under a content type that is not JSON (415). The valid body makes the content-type cases
/// sharp: had the endpoint read it anyway, it would have acted (and the state checks would see it).
/// </summary>
public static class JsonBodyCases
{
    private static readonly string[] Malformed =
    [
        "{", "}", "{\"a\"", "{'code':'123456'}", "{\"a\":1,}", "/* note */ {}", "NaN", "{a:1}", "{}{}", "{\"a\":1} trailing",
        "{\"a\":\"unterminated}", "{\"a\":01}", "{\"a\":\"\\x41\"}", "\u0000{}",
    ];

    private static readonly string[] NotAnObject = ["null", "[]", "\"text\"", "42", "true"];

    private static readonly string[] NotJson =
    [
        "text/plain", "application/x-www-form-urlencoded", "application/xml", "application/jsonx", "json", "multipart/form-data; boundary=corpus",
    ];

    /// <param name="context">The seeded state.</param>
    /// <param name="label">Names the endpoint in case names.</param>
    /// <param name="method">The endpoint's method.</param>
    /// <param name="target">The endpoint's path.</param>
    /// <param name="validJson">A body the endpoint would act on.</param>
    /// <param name="emptyIsValid">The endpoint treats an empty body as a request of its own (resend-otp): no empty-body case then.</param>
    public static IEnumerable<BadRequestCase> For(CorpusContext context, string label, string method, string target, string validJson, bool emptyIsValid = false)
    {
        if (!emptyIsValid)
        {
            yield return Keyed(context, $"{label}: empty JSON body", method, target, "", 400);
        }

        foreach (var (json, i) in Malformed.Select((json, i) => (json, i)))
        {
            yield return Keyed(context, $"{label}: malformed JSON #{i} {Printable(json)}", method, target, json, 400);
        }

        foreach (var json in NotAnObject)
        {
            yield return Keyed(context, $"{label}: JSON root {json}", method, target, json, 400);
        }

        yield return Keyed(context, $"{label}: arrays nested 10,000 deep", method, target, Nested(10_000), 400);
        foreach (var (length, json) in Truncations(validJson, 4))
        {
            yield return Keyed(context, $"{label}: valid body truncated to {length} chars", method, target, json, 400);
        }

        yield return new($"{label}: valid body without a content type", method, target, [Key(context.ApiKey)], RequestBody.Of(validJson), 415);
        foreach (var type in NotJson)
        {
            yield return Keyed(context, $"{label}: valid body as {type}", method, target, validJson, 415, type);
        }

        // A JSON type whose bytes are UTF-16: read as JSON's UTF-8 it is malformed; never a 5xx.
        yield return Keyed(context, $"{label}: UTF-16 body with charset=utf-16", method, target,
            RequestBody.Of(Encoding.Unicode.GetBytes("{\"zz\":")), null, "application/json; charset=utf-16");
    }

    private static string Printable(string json) => json.Replace("\u0000", "\\0", StringComparison.Ordinal);
}
