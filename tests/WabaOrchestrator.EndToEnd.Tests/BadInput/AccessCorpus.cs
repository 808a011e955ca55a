using static WabaOrchestrator.EndToEnd.Tests.BadInput.Requests;

namespace WabaOrchestrator.EndToEnd.Tests.BadInput;

/// <summary>
/// Keys on every keyed route (401, with a body the route would otherwise act on), methods no route takes (405),
/// routes that do not exist (404) and request lines and headers Kestrel refuses before the application runs.
/// </summary>
public static class AccessCorpus
{
    /// <summary>Every keyed route with a request it would act on, given the right key.</summary>
    public static IEnumerable<(string Method, string Target, string? Body, string ContentType)> KeyedRoutes(CorpusContext c)
    {
        var d = c.Deployment;
        var json = Json;
        return
        [
            ("POST", "/api/onboardings", OnboardingCorpus.ValidStart, json),
            ("GET", "/api/onboardings", null, json),
            ("GET", $"/api/onboardings/{c.InstanceId}", null, json),
            ("POST", $"/api/onboardings/{c.InstanceId}/otp", "{\"code\":\"123456\"}", json),
            ("DELETE", $"/api/onboardings/{c.InstanceId}", null, json),
            ("POST", $"/api/onboardings/{c.InstanceId}/terminate", null, json),
            ("DELETE", $"/api/onboardings/{c.InstanceId}/history", null, json),
            ("GET", d, null, json),
            ("DELETE", d, null, json),
            ("POST", $"{d}/resend-otp", "{\"method\":\"sms\"}", json),
            ("GET", $"{d}/profile", null, json),
            ("PATCH", $"{d}/profile", ProxyCorpus.ValidProfile, json),
            ("GET", $"{d}/profile/photo", null, json),
            ("POST", $"{d}/profile/photo", ProxyCorpus.ValidPhoto, json),
            ("GET", $"{d}/stickerpacks", null, json),
            ("POST", $"{d}/stickerpacks", ProxyCorpus.ValidPack, json),
            ("GET", $"{d}/stickerpacks/{ProxyCorpus.Pack}", null, json),
            ("GET", $"{d}/stickerpacks/{ProxyCorpus.Pack}/stickers", null, json),
            ("POST", $"{d}/stickerpacks/{ProxyCorpus.Pack}/stickers", ProxyCorpus.ValidSticker, json),
            ("GET", $"{d}/stickerpacks/{ProxyCorpus.Pack}/stickers/0", null, json),
            ("DELETE", $"{d}/stickerpacks/{ProxyCorpus.Pack}/stickers/0", null, json),
            ("GET", c.Templates, null, json),
            ("POST", c.Templates, ProxyCorpus.ValidTemplate, json),
            ("DELETE", $"{c.Templates}?name=corpus_template", null, json),
            ("GET", $"{c.Templates}/{c.TemplateId}", null, json),
            ("PUT", $"{c.Templates}/{c.TemplateId}", ProxyCorpus.ValidTemplate, json),
            ("POST", "/api/media/uploads?file_type=image/png", MediaCorpus.ValidMultipart, "multipart/form-data; boundary=corpus-boundary"),
        ];
    }

    public static IEnumerable<BadRequestCase> Cases(CorpusContext c) => Keys(c).Concat(Methods(c)).Concat(Routes(c)).Concat(Protocol(c));

    private static IEnumerable<BadRequestCase> Keys(CorpusContext c)
    {
        var wrong = "wrong-key-0123456789abcdef";
        foreach (var (method, target, json, contentType) in KeyedRoutes(c))
        {
            var body = json is null ? null : RequestBody.Of(json);
            KeyValuePair<string, string>[] content = json is null ? [] : [ContentType(contentType)];
            var withCode = target + (target.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "code=";
            var route = $"{method} {target}";
            yield return new($"no key: {route}", method, target, content, body, 401);
            yield return new($"wrong key header: {route}", method, target, [Key(wrong), .. content], body, 401);
            yield return new($"empty key header: {route}", method, target, [Key(""), .. content], body, 401);
            yield return new($"wrong ?code=: {route}", method, withCode + wrong, content, body, 401);
            yield return new($"key in Authorization: {route}", method, target, [Header("Authorization", "Bearer " + c.ApiKey), .. content], body, 401);
            yield return new($"right ?code= but wrong header (the header wins): {route}", method, withCode + Encode(c.ApiKey), [Key(wrong), .. content], body, 401);
            yield return new($"key upper-cased: {route}", method, target, [Key(c.ApiKey.ToUpperInvariant()), .. content], body, 401);
        }

        // One of each for the rest: the key's neighbours are not the key.
        var list = "/api/onboardings";
        yield return new("key in quotes", "GET", list, [Key($"\"{c.ApiKey}\"")], null, 401);
        yield return new("key minus its last character", "GET", list, [Key(c.ApiKey[..^1])], null, 401);
        yield return new("key plus one character", "GET", list, [Key(c.ApiKey + "x")], null, 401);
        yield return new("key with a NUL appended in ?code=", "GET", $"{list}?code={Encode(c.ApiKey)}%00", [], null, 401);
        yield return new("key 10 kB", "GET", list, [Key(Repeat('k', 10_000))], null, 401);
        yield return new("key in a cookie", "GET", list, [Header("Cookie", "x-functions-key=" + c.ApiKey)], null, 401);
        yield return new("key in ?key=", "GET", $"{list}?key={Encode(c.ApiKey)}", [], null, 401);
        yield return new("empty ?code=", "GET", $"{list}?code=", [], null, 401);
        // The first value is the key presented; a right key after it does not rescue it.
        yield return new("key header twice, first wrong", "GET", list, [Key(wrong), Key(c.ApiKey)], null, 401);
    }

    private static IEnumerable<BadRequestCase> Methods(CorpusContext c)
    {
        var d = c.Deployment;
        foreach (var (method, target) in new[]
        {
            ("PUT", "/api/onboardings"), ("DELETE", "/api/onboardings"), ("PATCH", $"/api/onboardings/{c.InstanceId}"),
            ("PUT", $"/api/onboardings/{c.InstanceId}/otp"), ("GET", $"/api/onboardings/{c.InstanceId}/otp"),
            ("GET", $"/api/onboardings/{c.InstanceId}/terminate"), ("POST", $"/api/onboardings/{c.InstanceId}/history"),
            ("PUT", d), ("POST", d), ("GET", $"{d}/resend-otp"), ("PUT", $"{d}/profile"), ("DELETE", $"{d}/profile/photo"),
            ("PUT", $"{d}/stickerpacks"), ("DELETE", $"{d}/stickerpacks/{ProxyCorpus.Pack}"), ("PUT", $"{d}/stickerpacks/{ProxyCorpus.Pack}/stickers/0"),
            ("PUT", c.Templates), ("PATCH", $"{c.Templates}/{c.TemplateId}"), ("POST", $"{c.Templates}/{c.TemplateId}"),
            ("GET", "/api/media/uploads"), ("PUT", "/api/media/uploads"), ("DELETE", "/api/webhooks/vonage/inbound-sms"),
            ("PUT", "/api/webhooks/vonage/inbound-sms"), ("OPTIONS", "/api/onboardings"), ("BREW", "/api/onboardings"), ("TRACE", d),
        })
        {
            yield return Keyed(c, $"method {method} {target}", method, target, (string?)null, 405);
        }
    }

    private static IEnumerable<BadRequestCase> Routes(CorpusContext c)
    {
        foreach (var target in new[]
        {
            "/api", "/api/", "/api/nope", $"/api/onboardings/{c.InstanceId}/events", "/api/deployments", $"{c.Templates}/{c.TemplateId}/extra",
            "/api/media", "/api/webhooks/vonage", "//api//onboardings", "/api/onboardings%2F" + c.InstanceId, $"/api/{Repeat('x', 4000)}",
            "/api/%E2%80%AEsgnidraobno", "/api/onboardings/%2e%2e/%2e%2e/nope",
        })
        {
            var shown = target.Length > 60 ? $"{target.Length}-char path" : target;
            yield return Keyed(c, $"no route {shown}", "GET", target, (string?)null, 404);
            yield return new($"no route without a key {shown}", "POST", target, [], null, 404);
        }
    }

    /// <summary>What no HTTP client sends: Kestrel's parser refuses it before any middleware, with a bare status.</summary>
    private static IEnumerable<BadRequestCase> Protocol(CorpusContext c)
    {
        foreach (var (name, target) in new[]
        {
            ("a raw space-free control byte in the path", "/api/onboardings/waba\u0001x"), ("a raw DEL in the path", "/api/onboardings/\u007f"),
            ("a raw NUL in the query", "/api/onboardings?top=\u00001"), ("a 10 kB path (over the request line limit)", "/api/onboardings/" + Repeat('w', 10_000)),
            ("a raw non-ASCII byte in the path", "/api/onboardings/\u00e9"), ("no leading slash", "api/onboardings"),
            ("a percent-encoded NUL in an onboarding id", "/api/onboardings/%00"), ("a percent-encoded NUL in a deployment id", "/api/deployments/a%00b/profile"),
        })
        {
            yield return new($"protocol: {name}", "GET", target, [Key(c.ApiKey)], null, null, BadAnswer.ProtocolRejection);
        }

        yield return new("protocol: a 40 kB header (over the header limit)", "GET", "/api/onboardings", [Key(c.ApiKey), Header("X-Big", Repeat('h', 40_000))],
            null, null, BadAnswer.ProtocolRejection);
        yield return new("protocol: Content-Length and chunked together", "POST", "/api/onboardings",
            [Key(c.ApiKey), ContentType(Json), Header("Content-Length", "2")], RequestBody.Of("{}") with { Chunked = true }, null, BadAnswer.ProtocolRejection);
    }
}
