using static WabaOrchestrator.EndToEnd.Tests.BadInput.Requests;

namespace WabaOrchestrator.EndToEnd.Tests.BadInput;

/// <summary>
/// The Vonage proxies, every case refused before Vonage is called: bad path ids (422), bad bodies on the seeded
/// READY deployment and template (400/415/422), bad list queries (422), uploads that are not acceptable multipart (413/422).
/// </summary>
public static class ProxyCorpus
{
    public const string ValidProfile = "{\"about\":\"Corpus\"}";
    public const string ValidPhoto = "{\"image_url\":\"https://example.com/corpus.png\"}";
    public const string ValidPack = "{\"publisher\":\"Corpus\",\"name\":\"Corpus pack\"}";
    public const string ValidSticker = "{\"image_data_id\":\"corpus-image\",\"emojis\":[\"🐥\"]}";
    public const string ValidTemplate = "{\"name\":\"corpus_template\",\"language\":\"en\",\"category\":\"UTILITY\",\"components\":[{\"type\":\"BODY\",\"text\":\"Hello there\"}]}";
    public const string Pack = "corpus-pack";

    public static IEnumerable<BadRequestCase> Cases(CorpusContext context) =>
        JsonBodyCases.For(context, "resend-otp", "POST", $"{context.Deployment}/resend-otp", "{\"method\":\"sms\"}", emptyIsValid: true)
            .Concat(JsonBodyCases.For(context, "profile", "PATCH", $"{context.Deployment}/profile", ValidProfile))
            .Concat(JsonBodyCases.For(context, "photo", "POST", $"{context.Deployment}/profile/photo", ValidPhoto))
            .Concat(JsonBodyCases.For(context, "stickerpack", "POST", $"{context.Deployment}/stickerpacks", ValidPack))
            .Concat(JsonBodyCases.For(context, "sticker", "POST", $"{context.Deployment}/stickerpacks/{Pack}/stickers", ValidSticker))
            .Concat(JsonBodyCases.For(context, "template create", "POST", context.Templates, ValidTemplate))
            .Concat(JsonBodyCases.For(context, "template put", "PUT", $"{context.Templates}/{context.TemplateId}", ValidTemplate))
            .Concat(PathIds(context))
            .Concat(Bodies(context))
            .Concat(Templates(context))
            .Concat(MediaCorpus.Cases(context));

    /// <summary>Every route with a path id, and the segment that must be refused (422) before anything is forwarded.</summary>
    private static IEnumerable<BadRequestCase> PathIds(CorpusContext c)
    {
        string[] bad =
        [
            "a..b", "%2E%2E%2E", "a%5Cb", "a%3Fb", "a%23b", "a%01b", "a%7Fb", "a%1B%5B2J", "%0D%0AX-Injected:%201", "%20",
            "%C2%85", Repeat('d', 129), Repeat('d', 4000),
        ];
        var d = c.DeploymentId;
        foreach (var id in bad)
        {
            var shown = id.Length > 40 ? $"{id.Length}-char id" : id;
            foreach (var (method, target, body) in new (string, string, string?)[]
            {
                ("GET", $"/api/deployments/{id}", null), ("DELETE", $"/api/deployments/{id}", null), ("POST", $"/api/deployments/{id}/resend-otp", null),
                ("GET", $"/api/deployments/{id}/profile", null), ("PATCH", $"/api/deployments/{id}/profile", ValidProfile),
                ("GET", $"/api/deployments/{d}/stickerpacks/{id}", null), ("POST", $"/api/deployments/{d}/stickerpacks/{id}/stickers", ValidSticker),
                ("DELETE", $"/api/deployments/{d}/stickerpacks/{Pack}/stickers/{id}", null),
                ("GET", $"/api/wabas/{id}/templates", null), ("PUT", $"/api/wabas/{c.WabaId}/templates/{id}", ValidTemplate),
                ("DELETE", $"/api/wabas/{c.WabaId}/templates?name=corpus_template&hsm_id={id}", null),
            })
            {
                yield return Keyed(c, $"id {shown}: {method} {target.Replace(id, "{bad}", StringComparison.Ordinal)}", method, target, body);
            }
        }

        // Ids that decode to fewer segments or another route are Kestrel's business: normalised before routing, they
        // land on no route (404) rather than on another resource.
        yield return Keyed(c, "dot segments out of /api", "GET", $"/api/deployments/{d}/%2e%2e/%2e%2e/%2e%2e/nope", (string?)null, 404);
        yield return Keyed(c, "dot segments into a shorter route", "GET", $"/api/deployments/%2e%2e/profile", (string?)null, 404);
        yield return Keyed(c, "raw dot segments", "GET", $"/api/deployments/{d}/stickerpacks/../../../../nope", (string?)null, 404);
    }

    private static IEnumerable<BadRequestCase> Bodies(CorpusContext c)
    {
        var profile = $"{c.Deployment}/profile";
        foreach (var (name, json, status) in new (string, string, int)[]
        {
            ("about 140 chars", "{\"about\":\"" + Repeat('a', 140) + "\"}", 422), ("about empty", "{\"about\":\"\"}", 422),
            ("about a number", "{\"about\":5}", 400), ("email not an address", "{\"email\":\"nobody\"}", 422),
            ("email 129 chars", "{\"email\":\"" + Repeat('e', 117) + "@example.com\"}", 422), ("vertical unknown", "{\"vertical\":\"Spaceships\"}", 422),
            ("vertical an array", "{\"vertical\":[]}", 400), ("websites a string", "{\"websites\":\"https://example.com\"}", 400),
            ("3 websites", "{\"websites\":[\"https://a.example\",\"https://b.example\",\"https://c.example\"]}", 422),
            ("website ftp", "{\"websites\":[\"ftp://example.com\"]}", 422), ("website null", "{\"websites\":[null]}", 422),
            ("website javascript", "{\"websites\":[\"javascript:alert(1)\"]}", 422), ("about a lone surrogate", "{\"about\":\"\\ud800\"}", 400),
            ("about 10 kB", "{\"about\":\"" + Repeat('a', 10_000) + "\"}", 422), ("about 1 MB (over the limit)", "{\"about\":\"" + Repeat('a', 1024 * 1024) + "\"}", 413),
            ("address 257 chars of emoji", "{\"address\":\"" + string.Concat(Enumerable.Repeat("🏠", 129)) + "\"}", 422),
            ("email with an RTL override", "{\"email\":\"a\\u202e@example.com\"}", 422), ("email with a zero-width space", "{\"email\":\"you\\u200b@example.com\"}", 422),
        })
        {
            yield return Keyed(c, "profile: " + name, "PATCH", profile, json, status);
        }

        yield return Keyed(c, "profile: 40 MB body (over Kestrel's 30 MB)", "PATCH", profile, RequestBody.Huge("{\"about\":\"", 40L * 1024 * 1024), 413);
        yield return Keyed(c, "profile: 40 MB chunked body", "PATCH", profile, RequestBody.Huge("{\"about\":\"", 40L * 1024 * 1024, chunked: true), 413);

        var photo = $"{c.Deployment}/profile/photo";
        foreach (var (name, json, status) in new (string, string, int)[]
        {
            ("no image_url", "{}", 422), ("image_url empty", "{\"image_url\":\"\"}", 422), ("image_url a number", "{\"image_url\":5}", 400),
            ("image_url relative", "{\"image_url\":\"/corpus.png\"}", 422), ("image_url ftp", "{\"image_url\":\"ftp://example.com/a.png\"}", 422),
            ("image_url file", "{\"image_url\":\"file:///etc/passwd\"}", 422), ("image_url with NUL", "{\"image_url\":\"\\u0000\"}", 422),
        })
        {
            yield return Keyed(c, "photo: " + name, "POST", photo, json, status);
        }

        var packs = $"{c.Deployment}/stickerpacks";
        foreach (var (name, json, status) in new (string, string, int)[]
        {
            ("no fields", "{}", 422), ("no name", "{\"publisher\":\"Corpus\"}", 422), ("name blank", "{\"publisher\":\"Corpus\",\"name\":\"   \"}", 422),
            ("name a number", "{\"publisher\":\"Corpus\",\"name\":5}", 400), ("ios link not a URL", "{\"publisher\":\"P\",\"name\":\"N\",\"ios_app_store_link\":\"app store\"}", 422),
            ("android link javascript", "{\"publisher\":\"P\",\"name\":\"N\",\"android_app_store_link\":\"javascript:x\"}", 422),
            ("name only a zero-width space", "{\"publisher\":\"Corpus\",\"name\":\"\\u200b\"}", 422),
            ("publisher only direction marks", "{\"publisher\":\"\\u200e\\u200f\",\"name\":\"N\"}", 422),
        })
        {
            yield return Keyed(c, "stickerpack: " + name, "POST", packs, json, status == 0 ? null : status);
        }

        var stickers = $"{packs}/{Pack}/stickers";
        foreach (var (name, json, status) in new (string, string, int)[]
        {
            ("no fields", "{}", 422), ("image_data_id a number", "{\"image_data_id\":5}", 400), ("emojis numbers", "{\"image_data_id\":\"i\",\"emojis\":[1]}", 400),
            ("emojis an object", "{\"image_data_id\":\"i\",\"emojis\":{}}", 400), ("emojis [[[null]]]", "{\"image_data_id\":\"i\",\"emojis\":[[[null]]]}", 400),
            ("emojis empty string", "{\"image_data_id\":\"i\",\"emojis\":[\"\"]}", 422), ("emojis a lone surrogate", "{\"image_data_id\":\"i\",\"emojis\":[\"\\ud83d\"]}", 400),
            ("emojis nested 10,000 deep", "{\"image_data_id\":\"i\",\"emojis\":" + Nested(10_000) + "}", 400),
        })
        {
            yield return Keyed(c, "sticker: " + name, "POST", stickers, json, status);
        }
    }

    private static IEnumerable<BadRequestCase> Templates(CorpusContext c)
    {
        foreach (var query in new[]
        {
            "limit=0", "limit=-1", "limit=abc", "limit=501", "limit=1e2", "limit=%2B5", "limit=2147483648", "status=bogus", "category=SPAM",
            "quality_score=PERFECT", "before=a&after=b", "status=APPROVED%00", "limit=%EF%BC%95",
        })
        {
            yield return Keyed(c, $"templates list: {query}", "GET", $"{c.Templates}?{query}", (string?)null, 422);
        }

        yield return Keyed(c, "templates delete: no name", "DELETE", c.Templates, (string?)null, 422);
        yield return Keyed(c, "templates delete: empty name", "DELETE", $"{c.Templates}?name=", (string?)null, 422);

        const string body = "{\"type\":\"BODY\",\"text\":\"Hello there\"}";
        foreach (var (name, json, status) in new (string, string, int)[]
        {
            ("no fields", "{}", 422),
            ("name upper case", "{\"name\":\"Corpus\",\"language\":\"en\",\"category\":\"UTILITY\",\"components\":[" + body + "]}", 422),
            ("name 513 chars", "{\"name\":\"" + Repeat('n', 513) + "\",\"language\":\"en\",\"category\":\"UTILITY\",\"components\":[" + body + "]}", 422),
            ("name 1 MB (over the limit)", "{\"name\":\"" + Repeat('n', 1024 * 1024) + "\",\"language\":\"en\",\"category\":\"UTILITY\",\"components\":[" + body + "]}", 413),
            ("name with zero-width space", "{\"name\":\"corpus\\u200b\",\"language\":\"en\",\"category\":\"UTILITY\",\"components\":[" + body + "]}", 422),
            ("language a sentence", "{\"name\":\"corpus\",\"language\":\"English please\",\"category\":\"UTILITY\",\"components\":[" + body + "]}", 422),
            ("category unknown", "{\"name\":\"corpus\",\"language\":\"en\",\"category\":\"SPAM\",\"components\":[" + body + "]}", 422),
            ("category a number", "{\"name\":\"corpus\",\"language\":\"en\",\"category\":5,\"components\":[" + body + "]}", 400),
            ("components empty", "{\"name\":\"corpus\",\"language\":\"en\",\"category\":\"UTILITY\",\"components\":[]}", 422),
            ("components a string", "{\"name\":\"corpus\",\"language\":\"en\",\"category\":\"UTILITY\",\"components\":\"BODY\"}", 400),
            ("components [null]", "{\"name\":\"corpus\",\"language\":\"en\",\"category\":\"UTILITY\",\"components\":[null]}", 0),
            ("a component without type", "{\"name\":\"corpus\",\"language\":\"en\",\"category\":\"UTILITY\",\"components\":[{\"text\":\"Hi\"}]}", 422),
            ("two BODY components", "{\"name\":\"corpus\",\"language\":\"en\",\"category\":\"UTILITY\",\"components\":[" + body + "," + body + "]}", 422),
            ("BODY without text", "{\"name\":\"corpus\",\"language\":\"en\",\"category\":\"UTILITY\",\"components\":[{\"type\":\"BODY\"}]}", 422),
            ("BODY 1,025 chars", "{\"name\":\"corpus\",\"language\":\"en\",\"category\":\"UTILITY\",\"components\":[{\"type\":\"BODY\",\"text\":\"" + Repeat('b', 1025) + "\"}]}", 422),
            ("placeholder gap", "{\"name\":\"corpus\",\"language\":\"en\",\"category\":\"UTILITY\",\"components\":[{\"type\":\"BODY\",\"text\":\"Hi {{1}} and {{3}}.\",\"example\":{\"body_text\":[[\"a\",\"b\"]]}}]}", 422),
            ("placeholder past Int32", "{\"name\":\"corpus\",\"language\":\"en\",\"category\":\"UTILITY\",\"components\":[{\"type\":\"BODY\",\"text\":\"Hi {{99999999999}} there\",\"example\":{\"body_text\":[[\"a\"]]}}]}", 422),
            ("body_text [null]", "{\"name\":\"corpus\",\"language\":\"en\",\"category\":\"UTILITY\",\"components\":[{\"type\":\"BODY\",\"text\":\"Hi {{1}} there\",\"example\":{\"body_text\":[null]}}]}", 422),
            ("body_text [[null]]", "{\"name\":\"corpus\",\"language\":\"en\",\"category\":\"UTILITY\",\"components\":[{\"type\":\"BODY\",\"text\":\"Hi {{1}} there\",\"example\":{\"body_text\":[[null]]}}]}", 0),
            ("IMAGE header without handle", "{\"name\":\"corpus\",\"language\":\"en\",\"category\":\"UTILITY\",\"components\":[{\"type\":\"HEADER\",\"format\":\"IMAGE\"}," + body + "]}", 422),
            ("header_handle [null]", "{\"name\":\"corpus\",\"language\":\"en\",\"category\":\"UTILITY\",\"components\":[{\"type\":\"HEADER\",\"format\":\"IMAGE\",\"example\":{\"header_handle\":[null]}}," + body + "]}", 0),
            ("buttons [null]", "{\"name\":\"corpus\",\"language\":\"en\",\"category\":\"UTILITY\",\"components\":[" + body + ",{\"type\":\"BUTTONS\",\"buttons\":[null]}]}", 0),
            ("URL button without url", "{\"name\":\"corpus\",\"language\":\"en\",\"category\":\"UTILITY\",\"components\":[" + body + ",{\"type\":\"BUTTONS\",\"buttons\":[{\"type\":\"URL\",\"text\":\"Go\"}]}]}", 422),
            ("phone button with letters", "{\"name\":\"corpus\",\"language\":\"en\",\"category\":\"UTILITY\",\"components\":[" + body + ",{\"type\":\"BUTTONS\",\"buttons\":[{\"type\":\"PHONE_NUMBER\",\"text\":\"Call\",\"phone_number\":\"call me\"}]}]}", 422),
            ("11 buttons", "{\"name\":\"corpus\",\"language\":\"en\",\"category\":\"UTILITY\",\"components\":[" + body + ",{\"type\":\"BUTTONS\",\"buttons\":[" + string.Join(',', Enumerable.Repeat("{\"type\":\"QUICK_REPLY\",\"text\":\"Ok\"}", 11)) + "]}]}", 422),
            ("allow_category_change a string", "{\"name\":\"corpus\",\"language\":\"en\",\"category\":\"UTILITY\",\"allow_category_change\":\"yes\",\"components\":[" + body + "]}", 400),
        })
        {
            int? expected = status == 0 ? null : status;
            yield return Keyed(c, "template create: " + name, "POST", c.Templates, json, expected);
            yield return Keyed(c, "template put: " + name, "PUT", $"{c.Templates}/{c.TemplateId}", json, expected);
        }
    }
}
