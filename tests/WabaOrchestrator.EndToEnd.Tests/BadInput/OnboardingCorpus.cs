using System.Text.Json.Nodes;
using static WabaOrchestrator.EndToEnd.Tests.BadInput.Requests;

namespace WabaOrchestrator.EndToEnd.Tests.BadInput;

/// <summary>
/// The onboarding endpoints. Every start request is one valid request with exactly one thing wrong (odd-but-legal text
/// in a free field is paired with a bad number), so anything that slipped through would start an onboarding of
/// <see cref="CorpusContext.FreshNumber"/> and show in the list.
/// </summary>
public static class OnboardingCorpus
{
    private const string Start = "/api/onboardings";

    public static string ValidStart => Valid().ToJsonString();

    public static IEnumerable<BadRequestCase> Cases(CorpusContext context) =>
        JsonBodyCases.For(context, "start", "POST", Start, ValidStart)
            .Concat(StartFields(context))
            .Concat(StartSizes(context))
            .Concat(ListQueries(context))
            .Concat(ById(context))
            .Concat(JsonBodyCases.For(context, "otp", "POST", $"{Start}/{context.InstanceId}/otp", "{\"code\":\"123456\"}"))
            .Concat(Otp(context));

    private static JsonObject Valid() => new()
    {
        ["country_code"] = "44",
        ["number"] = CorpusContext.FreshNumber,
        ["vname_certificate"] = CorpusContext.SecretMarker,
        ["method"] = "sms",
        ["waba_id"] = "123456",
        ["profile"] = new JsonObject { ["about"] = "Corpus" },
    };

    private static BadRequestCase Mutated(CorpusContext context, string name, Action<JsonObject> mutate, int? status)
    {
        var body = Valid();
        mutate(body);
        return Keyed(context, "start: " + name, "POST", Start, body.ToJsonString(), status);
    }

    private static BadRequestCase Field(CorpusContext context, string name, string field, JsonNode? value, int? status) =>
        Mutated(context, name, body => Set(body, field, value), status);

    // Dotted fields reach into nested objects ("profile.about", "otp.window").
    private static void Set(JsonObject body, string field, JsonNode? value)
    {
        var parts = field.Split('.');
        var target = body;
        foreach (var part in parts[..^1])
        {
            target = target[part] as JsonObject ?? (JsonObject)(target[part] = new JsonObject());
        }

        target[parts[^1]] = value;
    }

    /// <summary>Raw JSON for a value (lone surrogates and NUL as JSON escapes, which JsonNode would not write).</summary>
    private static BadRequestCase RawField(CorpusContext context, string name, string field, string rawJsonValue, bool withBadNumber, int? status)
    {
        var body = Valid();
        body.Remove(field);
        if (withBadNumber)
        {
            body["number"] = "12";
        }

        var json = $"{{\"{field}\":{rawJsonValue}," + body.ToJsonString()[1..];
        return Keyed(context, "start: " + name, "POST", Start, json, status);
    }

    private static IEnumerable<BadRequestCase> StartFields(CorpusContext c)
    {
        yield return Keyed(c, "start: empty object", "POST", Start, "{}", 422);
        foreach (var field in new[] { "country_code", "number", "vname_certificate", "method", "waba_id" })
        {
            yield return Mutated(c, $"missing {field}", body => body.Remove(field), 422);
            yield return Field(c, $"{field} null", field, null, 422);
            yield return Field(c, $"{field} empty", field, "", 422);
        }

        // Wrong JSON types: 400 naming the field.
        yield return Field(c, "country_code a number", "country_code", 44, 400);
        yield return Field(c, "number a number", "number", 7700900999, 400);
        yield return Field(c, "vname_certificate a boolean", "vname_certificate", true, 400);
        yield return Field(c, "method an array", "method", new JsonArray("sms"), 400);
        yield return Field(c, "waba_id an object", "waba_id", new JsonObject { ["id"] = 1 }, 400);
        yield return Field(c, "pin a number", "pin", 123456, 400);
        yield return Field(c, "profile an array", "profile", new JsonArray(), 400);
        yield return Field(c, "profile a string", "profile", "Fresh bread", 400);
        yield return Field(c, "profile.about a number", "profile.about", 5, 400);
        yield return Field(c, "profile.websites a string", "profile.websites", "https://example.com", 400);
        yield return Field(c, "otp an array", "otp", new JsonArray(), 400);
        yield return Field(c, "otp.max_resends a string", "otp.max_resends", "3", 400);
        yield return Field(c, "otp.max_attempts a fraction", "otp.max_attempts", 1.5, 400);
        yield return Field(c, "otp.window a number", "otp.window", 300, 400);
        yield return Field(c, "otp.window not a time span", "otp.window", "five minutes", 400);
        yield return Field(c, "photo_url a number", "photo_url", 1, 400);
        yield return Field(c, "callback_url an array", "callback_url", new JsonArray(), 400);
        yield return RawField(c, "otp.max_resends 1e400", "otp", "{\"max_resends\":1e400}", false, 400);
        yield return RawField(c, "otp.max_attempts past Int32", "otp", "{\"max_attempts\":99999999999999999999}", false, 400);

        // Right types, wrong values: 422 naming the field.
        foreach (var (name, field, value) in new (string, string, string)[]
        {
            ("country_code letters", "country_code", "ab"), ("country_code 4 digits", "country_code", "4444"),
            ("number 3 digits", "number", "123"), ("number 16 digits", "number", "1234567890123456"),
            ("number with +", "number", "+7700900999"), ("number with a space", "number", "7700 900999"),
            ("method fax", "method", "fax"), ("method upper case", "method", "SMS"),
            ("waba_id letters", "waba_id", "waba"), ("waba_id 21 digits", "waba_id", "123456789012345678901"),
            ("pin 5 digits", "pin", "12345"), ("pin letters", "pin", "abcdef"),
            ("profile.about 140 chars", "profile.about", Repeat('a', 140)), ("profile.email not an address", "profile.email", "not-an-email"),
            ("profile.vertical unknown", "profile.vertical", "Spaceships"), ("photo_url a gif", "photo_url", "https://example.com/a.gif"),
            ("photo_url javascript", "photo_url", "javascript:alert(1)"), ("callback_url ftp", "callback_url", "ftp://example.com/hook"),
            ("otp.window 1 s", "otp.window", "00:00:01"), ("otp.window 100 days", "otp.window", "100.00:00:00"),
        })
        {
            yield return Field(c, name, field, value, 422);
        }

        yield return Field(c, "otp.max_resends -1", "otp.max_resends", -1, 422);
        yield return Field(c, "otp.max_resends 1000", "otp.max_resends", 1000, 422);
        yield return Field(c, "otp.max_attempts 0", "otp.max_attempts", 0, 422);
        yield return Field(c, "profile.websites 3", "profile.websites", new JsonArray("https://a.example", "https://b.example", "https://c.example"), 422);
        yield return Field(c, "profile.websites [null]", "profile.websites", new JsonArray((JsonNode?)null), 422);
        yield return Field(c, "profile.websites ftp", "profile.websites", new JsonArray("ftp://example.com"), 422);

        // Odd unicode. Digits that are not ASCII are not digits here.
        foreach (var (name, field, value) in new (string, string, string)[]
        {
            ("number with an RTL mark", "number", "\u200f" + CorpusContext.FreshNumber), ("country_code with a zero-width space", "country_code", "4\u200b4"),
            ("number in Arabic-Indic digits", "number", "٧٧٠٠٩٠٠٩٩٩"), ("number in full-width digits", "number", "７７００９００９９９"),
            ("number with keycap emoji", "number", "7\ufe0f\u20e3700900999"), ("number with a NUL", "number", "7700\u0000900999"),
            ("waba_id with a BOM", "waba_id", "\ufeff123456"), ("method with a zero-width joiner", "method", "s\u200dms"),
            ("pin with a soft hyphen", "pin", "123\u00ad456"),
        })
        {
            yield return Field(c, name, field, value, 422);
        }

        yield return RawField(c, "number a lone high surrogate", "number", "\"\\ud800\"", false, null);
        yield return RawField(c, "number a lone low surrogate", "number", "\"77\\udfff\"", false, null);
        yield return RawField(c, "vname_certificate a lone surrogate", "vname_certificate", "\"\\ud800" + CorpusContext.SecretMarker + "\"", true, null);
        yield return RawField(c, "vname_certificate with NUL and RTL", "vname_certificate", "\"\\u0000\\u202e" + CorpusContext.SecretMarker + "\"", true, 422);
        yield return RawField(c, "profile.about a lone surrogate", "profile", "{\"about\":\"\\udc00\"}", true, null);
        yield return RawField(c, "profile.about with emoji and RTL, 139 chars", "profile", "{\"about\":\"" + string.Concat(Enumerable.Repeat("🍞\u202e", 35)) + "\"}", true, 422);
        yield return RawField(c, "duplicate number keys", "number", "\"12\",\"number\":\"34\"", false, null);
        yield return Keyed(c, "start: invalid UTF-8 in number", "POST", Start,
            RequestBody.Of([.. "{\"country_code\":\"44\",\"number\":\""u8, 0xFF, 0xFE, .. "\"}"u8]), null);
        yield return Keyed(c, "start: overlong UTF-8 slash in number", "POST", Start,
            RequestBody.Of([.. "{\"country_code\":\"44\",\"number\":\"77\""u8, 0xC0, 0xAF, .. "\"}"u8]), null);
        yield return Keyed(c, "start: BOM then a bad body", "POST", Start,
            RequestBody.Of([0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes("{\"number\":\"12\"}")]), 422);
        yield return Keyed(c, "start: problem+json content type, bad body", "POST", Start, "{\"number\":\"12\"}", 422, "application/problem+json");
        yield return Keyed(c, "start: upper-case JSON content type, bad body", "POST", Start, "{\"number\":\"12\"}", 422, "APPLICATION/JSON");
    }

    private static IEnumerable<BadRequestCase> StartSizes(CorpusContext c)
    {
        yield return Field(c, "vname_certificate 10 kB", "vname_certificate", Repeat('c', 10_000), 422);
        yield return Field(c, "number 10 kB", "number", Repeat('7', 10_000), 422);
        yield return Field(c, "vname_certificate 1 MB + 1 (over the 1 MB limit)", "vname_certificate", Repeat('c', 1024 * 1024 + 1), 413);
        yield return Field(c, "profile.about 1 MB", "profile.about", Repeat('a', 1024 * 1024), 413);
        yield return Keyed(c, "start: 40 MB body", "POST", Start, RequestBody.Huge("{\"vname_certificate\":\"", 40L * 1024 * 1024), 413);
        yield return Keyed(c, "start: 40 MB chunked body", "POST", Start, RequestBody.Huge("{\"vname_certificate\":\"", 40L * 1024 * 1024, chunked: true), 413);
    }

    private static IEnumerable<BadRequestCase> ListQueries(CorpusContext c)
    {
        foreach (var (query, name) in new[]
        {
            ("top=-1", "top"), ("top=abc", "top"), ("top=0", "top"), ("top=1001", "top"), ("top=1e3", "top"), ("top=%2B5", "top"),
            ("top=2147483648", "top"), ("top=%EF%BC%95", "top"), ("runtimeStatus=Bogus", "runtimeStatus"), ("runtimeStatus=3", "runtimeStatus"),
            ("runtimeStatus=Running,99", "runtimeStatus"), ("runtimeStatus=Running%00", "runtimeStatus"), ("stage=Nowhere", "stage"),
            ("stage=0", "stage"), ("createdTimeFrom=yesterday", "createdTimeFrom"), ("createdTimeTo=2026-13-45", "createdTimeTo"),
            ("createdTimeFrom=%ED%A0%80", "createdTimeFrom"), ("continuationToken=not-a-token", "continuationToken"),
            ("continuationToken=" + Encode(Convert.ToBase64String("no separator"u8)), "continuationToken"),
            ("continuationToken=" + Encode(Convert.ToBase64String("12|"u8.ToArray().Concat(new byte[] { 0xFF }).ToArray())) + "&top=abc", "top"),
        })
        {
            yield return Keyed(c, $"list: {query} ({name})", "GET", $"{Start}?{query}", (string?)null, 422);
        }
    }

    private static IEnumerable<BadRequestCase> ById(CorpusContext c)
    {
        string[] unknown =
        [
            CorpusContext.UnknownInstanceId, "waba-", "%20", Encode("waba-٤٤٧٧٠٠٩٠٠١٢٣"), Encode("waba-\u202e321"), "waba-44%2F7700900123",
            "..%2F..%2Fhealthz", Repeat('w', 4000), "waba-%0A44", "waba-%7F", Encode("\ud83d\ude00"),
        ];
        foreach (var id in unknown)
        {
            var shown = id.Length > 40 ? $"{id.Length}-char id" : id;
            yield return Keyed(c, $"get unknown {shown}", "GET", $"{Start}/{id}", (string?)null);
            yield return Keyed(c, $"cancel unknown {shown}", "DELETE", $"{Start}/{id}", (string?)null);
            yield return Keyed(c, $"terminate unknown {shown}", "POST", $"{Start}/{id}/terminate", (string?)null);
            yield return Keyed(c, $"purge unknown {shown}", "DELETE", $"{Start}/{id}/history", (string?)null);
            yield return Keyed(c, $"otp to unknown {shown}", "POST", $"{Start}/{id}/otp", "{\"code\":\"123456\"}");
        }

        // The seeded onboarding has finished: every command is a 409 and changes nothing.
        yield return Keyed(c, "cancel finished", "DELETE", $"{Start}/{c.InstanceId}", (string?)null, 409);
        yield return Keyed(c, "cancel finished with a 4 kB reason", "DELETE", $"{Start}/{c.InstanceId}?reason={Repeat('r', 4000)}", (string?)null, 409);
        yield return Keyed(c, "terminate finished", "POST", $"{Start}/{c.InstanceId}/terminate", (string?)null, 409);
        yield return Keyed(c, "terminate finished, reason with control bytes", "POST", $"{Start}/{c.InstanceId}/terminate?reason=%00%1B%5B31m", (string?)null, 409);
        yield return Keyed(c, "otp to finished", "POST", $"{Start}/{c.InstanceId}/otp", "{\"code\":\"123-456\"}", 409);
    }

    private static IEnumerable<BadRequestCase> Otp(CorpusContext c)
    {
        var otp = $"{Start}/{c.InstanceId}/otp";
        foreach (var (name, json, status) in new (string, string, int)[]
        {
            ("no code", "{}", 422), ("code null", "{\"code\":null}", 422), ("code a number", "{\"code\":123456}", 400),
            ("code an array", "{\"code\":[\"123456\"]}", 400), ("code 5 digits", "{\"code\":\"12345\"}", 422),
            ("code 7 digits", "{\"code\":\"1234567\"}", 422), ("code letters", "{\"code\":\"abcdef\"}", 422),
            ("code full-width digits", "{\"code\":\"１２３４５６\"}", 422), ("code with NUL", "{\"code\":\"123\\u0000456\"}", 422),
            ("code with RTL mark", "{\"code\":\"\\u200f123456\"}", 422), ("code a lone surrogate", "{\"code\":\"\\ud800\"}", 400),
            ("code 10 kB", "{\"code\":\"" + Repeat('1', 10_000) + "\"}", 422), ("code 1 MB (over the limit)", "{\"code\":\"" + Repeat('1', 1024 * 1024) + "\"}", 413),
        })
        {
            yield return Keyed(c, "otp: " + name, "POST", otp, json, status);
        }
    }
}
