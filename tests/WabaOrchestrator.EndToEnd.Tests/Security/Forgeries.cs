using System.Security.Cryptography;
using System.Text;

namespace WabaOrchestrator.EndToEnd.Tests.Security;

/// <summary>
/// Inbound-SMS deliveries carrying a real code that an attacker without the signature secret could send, or that
/// Vonage's own scheme makes invalid (stale, reused for another body). Each must be refused before any event.
/// </summary>
public static class Forgeries
{
    /// <summary>Every forgery by name; each call builds a fresh message (its own messageId) carrying <paramref name="code"/>.</summary>
    public static IReadOnlyList<(string Name, HttpRequestMessage Request)> All(string to, string code, string secret, string rsaPrivateKeyPem)
    {
        InboundSms Sms() => InboundSms.Carrying(to, code);
        var now = DateTimeOffset.UtcNow;

        (string, HttpRequestMessage) Json(string name, Func<byte[], string?> token)
        {
            var body = Sms().JsonBody();
            return (name, InboundSms.Post(body, token(body)));
        }

        return
        [
            Json("json: no signature", _ => null),
            Json("json: signed with another secret", body => WebhookJwt.For(body).Sign("not-the-signature-secret")),
            Json("json: signed with an empty secret", body => WebhookJwt.For(body).Sign("")),
            TamperedBody(Sms(), secret),
            Json("json: iat 10 minutes old", body => (WebhookJwt.For(body) with { IssuedAt = now.AddMinutes(-10) }).Sign(secret)),
            Json("json: iat 10 minutes ahead", body => (WebhookJwt.For(body) with { IssuedAt = now.AddMinutes(10) }).Sign(secret)),
            Json("json: iat far in the past", body => (WebhookJwt.For(body) with { IssuedAt = DateTimeOffset.UnixEpoch }).Sign(secret)),
            Json("json: no iat", body => (WebhookJwt.For(body) with { IssuedAt = null }).Sign(secret)),
            Json("json: no payload_hash", body => new WebhookJwt().Sign(secret)),
            Json("json: payload_hash of nothing", body => new WebhookJwt { PayloadHash = Convert.ToHexStringLower(SHA256.HashData([])) }.Sign(secret)),
            Json("json: alg none, no signature", body => (WebhookJwt.For(body) with { Alg = "none" }).Unsigned()),
            Json("json: alg none, with the right HMAC", body => (WebhookJwt.For(body) with { Alg = "none" }).Sign(secret)),
            Json("json: alg hs256 (wrong case)", body => (WebhookJwt.For(body) with { Alg = "hs256" }).Sign(secret)),
            Json("json: alg RS256 signed with an RSA key", body => (WebhookJwt.For(body) with { Alg = "RS256" }).SignRsa(rsaPrivateKeyPem)),
            Json("json: alg RS256 over an HMAC with the secret", body => (WebhookJwt.For(body) with { Alg = "RS256" }).Sign(secret)),
            Json("json: alg HS512 with the secret", body => (WebhookJwt.For(body) with { Alg = "HS512" }).Sign(secret, HashAlgorithmName.SHA512)),
            Json("json: alg HS256 over an HMAC-SHA512", body => WebhookJwt.For(body).Sign(secret, HashAlgorithmName.SHA512)),
            Json("json: signature cut short", body => WebhookJwt.For(body).Sign(secret)[..^4]),
            Json("json: signature of another token", body => Splice(WebhookJwt.For(body).Sign(secret), WebhookJwt.For(body).Sign(secret))),
            Json("json: not a JWT", _ => "not-a-jwt"),
            TokenForAnotherBody(Sms(), InboundSms.Carrying(to, code), secret),
            InHeader("json: valid token in Authorization without a scheme", Sms(), secret, "Authorization", token => token),
            InHeader("json: valid token in Authorization: Basic", Sms(), secret, "Authorization", token => "Basic " + token),
            InHeader("json: valid token in X-Vonage-Signature", Sms(), secret, "X-Vonage-Signature", token => "Bearer " + token),
            InHeader("json: valid token in Proxy-Authorization", Sms(), secret, "Proxy-Authorization", token => "Bearer " + token),
            InQuery(Sms(), secret),
            Form("form: no signature", Sms(), _ => null),
            Form("form: signed with another secret", Sms(), body => WebhookJwt.For(body).Sign("not-the-signature-secret")),
            Form("form: iat 10 minutes old", Sms(), body => (WebhookJwt.For(body) with { IssuedAt = now.AddMinutes(-10) }).Sign(secret)),
            FormSignedAsJson(Sms(), secret),
            ("get: no signature", Sms().Get(null)),
            ("get: signed with another secret", Sms().Get(WebhookJwt.For([]).Sign("not-the-signature-secret"))),
            ("get: iat 10 minutes old", Sms().Get((WebhookJwt.For([]) with { IssuedAt = now.AddMinutes(-10) }).Sign(secret))),
            ("get: alg none", Sms().Get((WebhookJwt.For([]) with { Alg = "none" }).Unsigned())),
            GetWithTheJsonToken(Sms(), secret),
        ];
    }

    /// <summary>A real signature over the body, then the body changed (the code kept, the message id altered).</summary>
    private static (string, HttpRequestMessage) TamperedBody(InboundSms sms, string secret)
    {
        var token = WebhookJwt.For(sms.JsonBody()).Sign(secret);
        return ("json: body tampered after signing", InboundSms.Post((sms with { MessageId = sms.MessageId + "0" }).JsonBody(), token));
    }

    /// <summary>A genuine token, taken from another delivery, on this body.</summary>
    private static (string, HttpRequestMessage) TokenForAnotherBody(InboundSms sms, InboundSms other, string secret) =>
        ("json: token of another message", InboundSms.Post(sms.JsonBody(), WebhookJwt.For(other.JsonBody()).Sign(secret)));

    /// <summary>A valid token, but not where Vonage puts it (<c>Authorization: Bearer</c>).</summary>
    private static (string, HttpRequestMessage) InHeader(string name, InboundSms sms, string secret, string header, Func<string, string> value)
    {
        var body = sms.JsonBody();
        var request = InboundSms.Post(body, token: null);
        var headerValue = value(WebhookJwt.For(body).Sign(secret));
        Assert.True(request.Headers.TryAddWithoutValidation(header, headerValue), header);
        return (name, request);
    }

    private static (string, HttpRequestMessage) InQuery(InboundSms sms, string secret)
    {
        var body = sms.JsonBody();
        var request = InboundSms.Post(body, token: null);
        request.RequestUri = new Uri(InboundSms.Route + "?token=" + WebhookJwt.For(body).Sign(secret), UriKind.Relative);
        return ("json: valid token in the query", request);
    }

    private static (string, HttpRequestMessage) Form(string name, InboundSms sms, Func<byte[], string?> token)
    {
        var body = sms.FormBody();
        return (name, InboundSms.Post(body, token(body), "application/x-www-form-urlencoded"));
    }

    /// <summary>The same message form-encoded under the token of its JSON rendering: the hash covers other bytes.</summary>
    private static (string, HttpRequestMessage) FormSignedAsJson(InboundSms sms, string secret) =>
        ("form: token of the JSON rendering", InboundSms.Post(sms.FormBody(), WebhookJwt.For(sms.JsonBody()).Sign(secret), "application/x-www-form-urlencoded"));

    /// <summary>A GET carries no body, so a token vouching for the JSON body's hash does not match it.</summary>
    private static (string, HttpRequestMessage) GetWithTheJsonToken(InboundSms sms, string secret) =>
        ("get: token of the JSON rendering", sms.Get(WebhookJwt.For(sms.JsonBody()).Sign(secret)));

    /// <summary>The header and claims of <paramref name="token"/> with the signature of <paramref name="donor"/>.</summary>
    private static string Splice(string token, string donor) =>
        token[..(token.LastIndexOf('.') + 1)] + donor[(donor.LastIndexOf('.') + 1)..];

    /// <summary>Renders a refused answer for an assertion message.</summary>
    public static async Task<string> DescribeAsync(HttpResponseMessage response) =>
        $"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} {Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync())}";
}
