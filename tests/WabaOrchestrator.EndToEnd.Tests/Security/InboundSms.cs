using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace WabaOrchestrator.EndToEnd.Tests.Security;

/// <summary>
/// One inbound SMS as Vonage delivers it, in the three shapes the webhook accepts (JSON or form POST, GET). A
/// message is immutable so a replay re-sends exactly the bytes (and the token) of the first delivery.
/// </summary>
public sealed record InboundSms(string To, string Text, string MessageId)
{
    public const string Route = "api/webhooks/vonage/inbound-sms";

    /// <summary>Fixed at creation, so every rendering of one message is the same bytes.</summary>
    public string Timestamp { get; init; } = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The <c>msisdn</c>: WhatsApp's alphanumeric sender id unless a test plays someone else.</summary>
    public string Sender { get; init; } = "WhatsApp";

    /// <summary>Parameters beyond the usual ones (the SMS API's <c>timestamp</c>, <c>nonce</c>, <c>sig</c>).</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();

    public static InboundSms Carrying(string to, string code) =>
        new(to, $"Your WhatsApp code: {code[..3]}-{code[3..]}\nDon't share this code with others", Convert.ToHexString(Guid.NewGuid().ToByteArray()));

    public byte[] JsonBody() => JsonSerializer.SerializeToUtf8Bytes(Fields());

    public byte[] FormBody() => Encoding.UTF8.GetBytes(Query());

    public string Query() => string.Join('&', Fields().Select(f => f.Key + "=" + Uri.EscapeDataString(f.Value)));

    /// <summary>A POST of <paramref name="body"/> with <paramref name="token"/> as its bearer token (none when null).</summary>
    public static HttpRequestMessage Post(byte[] body, string? token, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Route) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    public HttpRequestMessage Get(string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Route + "?" + Query());
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    public Dictionary<string, string> Fields()
    {
        var fields = new Dictionary<string, string>
        {
            ["msisdn"] = Sender,
            ["to"] = To,
            ["messageId"] = MessageId,
            ["text"] = Text,
            ["type"] = "text",
            ["keyword"] = "YOUR",
            ["api-key"] = "sandbox",
            ["message-timestamp"] = Timestamp,
        };
        foreach (var (name, value) in Extra)
        {
            fields[name] = value;
        }

        return fields;
    }
}
