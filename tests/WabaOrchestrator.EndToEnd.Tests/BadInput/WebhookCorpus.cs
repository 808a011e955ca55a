using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using static WabaOrchestrator.EndToEnd.Tests.BadInput.Requests;

namespace WabaOrchestrator.EndToEnd.Tests.BadInput;

/// <summary>
/// The inbound-SMS webhook: forged, broken and stale signatures (401), and correctly signed deliveries with bad
/// bodies (400, 413, 422), which only a signer with the real secret can reach. Signatures are made when the corpus is
/// built; the webhook accepts 5 minutes of skew, far more than a run takes.
/// </summary>
public static class WebhookCorpus
{
    private const string Route = "/api/webhooks/vonage/inbound-sms";
    private const string Sms = "{\"msisdn\":\"WhatsApp\",\"to\":\"447700900999\",\"messageId\":\"corpus-1\",\"text\":\"Your WhatsApp code is 123-456\",\"type\":\"text\"}";

    public static IEnumerable<BadRequestCase> Cases(CorpusContext context)
    {
        var secret = context.SignatureSecret;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var body = Encoding.UTF8.GetBytes(Sms);
        var goodClaims = Claims(now, body);

        // Forged or broken signatures over a valid delivery (a valid code for a number that exists nowhere).
        yield return Post("unsigned", body, null, 401);
        yield return Post("Basic auth", body, "Basic " + Convert.ToBase64String("sandbox:secret"u8), 401);
        yield return Post("bearer not a JWT", body, "Bearer not-a-jwt", 401);
        yield return Post("bearer empty", body, "Bearer ", 401);
        yield return Post("bearer bad base64", body, "Bearer !!!.@@@.###", 401);
        yield return Post("bearer header not JSON", body, "Bearer " + B64("not json") + "." + B64(goodClaims) + ".c2ln", 401);
        yield return Post("alg none, no signature", body, "Bearer " + B64("{\"alg\":\"none\"}") + "." + B64(goodClaims) + ".", 401);
        yield return Post("alg RS256 signed with the secret", body, Jwt("{\"alg\":\"RS256\"}", goodClaims, secret), 401);
        yield return Post("alg hs256 lower case", body, Jwt("{\"alg\":\"hs256\"}", goodClaims, secret), 401);
        yield return Post("alg a number", body, Jwt("{\"alg\":256}", goodClaims, secret), 401);
        yield return Post("alg a lone surrogate", body, Jwt("{\"alg\":\"\\ud800\"}", goodClaims, secret), 401);
        yield return Post("header an array", body, Jwt("[\"HS256\"]", goodClaims, secret), 401);
        yield return Post("wrong secret", body, Jwt(Hs256, goodClaims, "not-the-secret"), 401);
        yield return Post("empty secret", body, Jwt(Hs256, goodClaims, ""), 401);
        yield return Post("signature of another token", body, Jwt(Hs256, goodClaims, secret)[..^4] + "AAAA", 401);
        yield return Post("iat an hour old", body, Jwt(Hs256, Claims(now - 3600, body), secret), 401);
        yield return Post("iat an hour ahead", body, Jwt(Hs256, Claims(now + 3600, body), secret), 401);
        yield return Post("iat missing", body, Jwt(Hs256, JsonSerializer.Serialize(new { payload_hash = Hash(body) }), secret), 401);
        yield return Post("iat a string", body, Jwt(Hs256, JsonSerializer.Serialize(new { iat = now.ToString(CultureInfo.InvariantCulture), payload_hash = Hash(body) }), secret), 401);
        yield return Post("iat 1e30", body, Jwt(Hs256, $"{{\"iat\":1e30,\"payload_hash\":\"{Hash(body)}\"}}", secret), 401);
        yield return Post("iat Int64.MaxValue", body, Jwt(Hs256, $"{{\"iat\":{long.MaxValue},\"payload_hash\":\"{Hash(body)}\"}}", secret), 401);
        yield return Post("iat Int64.MinValue", body, Jwt(Hs256, $"{{\"iat\":{long.MinValue},\"payload_hash\":\"{Hash(body)}\"}}", secret), 401);
        yield return Post("claims an array", body, Jwt(Hs256, "[1]", secret), 401);
        yield return Post("payload_hash missing", body, Jwt(Hs256, $"{{\"iat\":{now}}}", secret), 401);
        yield return Post("payload_hash a number", body, Jwt(Hs256, $"{{\"iat\":{now},\"payload_hash\":5}}", secret), 401);
        yield return Post("payload_hash of another body", body, Jwt(Hs256, Claims(now, "{}"u8.ToArray()), secret), 401);
        yield return Post("payload_hash a lone surrogate", body, Jwt(Hs256, $"{{\"iat\":{now},\"payload_hash\":\"\\ud800\"}}", secret), 401);
        yield return Post("payload_hash non-ASCII", body, Jwt(Hs256, $"{{\"iat\":{now},\"payload_hash\":\"\u00e9{Hash(body)[1..]}\"}}", secret), 401);
        yield return Post("token 6 kB of dots", body, "Bearer " + Repeat('.', 6000), 401);
        yield return new("webhook: unsigned GET", "GET", Route + "?to=447700900999&messageId=m1&text=123456", [], null, 401);
        yield return new("webhook: unsigned form", "POST", Route, [ContentType("application/x-www-form-urlencoded")],
            RequestBody.Of("to=447700900999&messageId=m1&text=123456"), 401);

        // Signed with the real secret, so the body itself is what is wrong.
        foreach (var (name, json, status) in new (string, string, int)[]
        {
            ("malformed JSON", "{\"to\":", 400), ("JSON array", "[]", 400), ("JSON string", "\"sms\"", 400), ("JSON null", "null", 400),
            ("nested 10,000 deep", Nested(10_000), 400), ("no messageId and no to", "{}", 422), ("no to", "{\"messageId\":\"m1\",\"text\":\"123456\"}", 422),
            ("blank to", "{\"messageId\":\"m1\",\"to\":\" \",\"text\":\"123456\"}", 422), ("messageId null", "{\"messageId\":null,\"to\":\"447700900999\"}", 422),
            ("messageId a lone surrogate", "{\"messageId\":\"\\ud800\",\"to\":\"447700900999\",\"text\":\"123456\"}", 0),
            ("to a lone surrogate", "{\"messageId\":\"m1\",\"to\":\"\\udfff\",\"text\":\"123456\"}", 0),
            ("text a lone surrogate", "{\"messageId\":\"m1\",\"text\":\"\\ud800 123456\"}", 0),
        })
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            yield return Post("signed, " + name, bytes, Jwt(Hs256, Claims(now, bytes), secret), status == 0 ? null : status);
        }

        var text = Encoding.UTF8.GetBytes("hello, not JSON");
        yield return Post("signed text/plain body", text, Jwt(Hs256, Claims(now, text), secret), 400, "text/plain");
        var multipart = Encoding.UTF8.GetBytes("--b\r\nContent-Disposition: form-data; name=\"to\"\r\n\r\n447700900999\r\n--b--\r\n");
        // multipart/form-data is a form type: read as url-encoded fields, it holds neither messageId nor to.
        yield return Post("signed multipart body", multipart, Jwt(Hs256, Claims(now, multipart), secret), 422, "multipart/form-data; boundary=b");
        var form = Encoding.UTF8.GetBytes("text=123456&msisdn=1");
        yield return Post("signed form without messageId and to", form, Jwt(Hs256, Claims(now, form), secret), 422, "application/x-www-form-urlencoded");
        yield return new("webhook: signed GET without parameters", "GET", Route, [Header("Authorization", Jwt(Hs256, Claims(now, []), secret))], null, 422);
        yield return new("webhook: signed GET, to but no messageId", "GET", Route + "?to=447700900999&text=123456",
            [Header("Authorization", Jwt(Hs256, Claims(now, []), secret))], null, 422);

        // Over the webhook's 64 kB: refused before the signature is even checked.
        var big = Encoding.UTF8.GetBytes("{\"text\":\"" + Repeat('x', 70_000) + "\"}");
        yield return Post("signed 70 kB body", big, Jwt(Hs256, Claims(now, big), secret), 413);
        yield return new("webhook: 40 MB body", "POST", Route, [ContentType(Json)], RequestBody.Huge("{\"text\":\"", 40L * 1024 * 1024), 413);
        yield return new("webhook: 40 MB chunked body", "POST", Route, [ContentType(Json)], RequestBody.Huge("{\"text\":\"", 40L * 1024 * 1024, chunked: true), 413);
    }

    private const string Hs256 = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

    private static BadRequestCase Post(string name, byte[] body, string? authorization, int? status, string contentType = Json) =>
        new("webhook: " + name, "POST", Route,
            authorization is null ? [ContentType(contentType)] : [ContentType(contentType), Header("Authorization", authorization)],
            RequestBody.Of(body), status);

    private static string Claims(long iat, byte[] body) =>
        JsonSerializer.Serialize(new { iat, jti = Guid.NewGuid().ToString(), api_key = "sandbox", payload_hash = Hash(body) });

    private static string Hash(byte[] body) => Convert.ToHexStringLower(SHA256.HashData(body));

    private static string B64(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    private static string Jwt(string header, string claims, string secret)
    {
        var signed = B64(header) + "." + B64(claims);
        return "Bearer " + signed + "." + Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(signed)));
    }
}
