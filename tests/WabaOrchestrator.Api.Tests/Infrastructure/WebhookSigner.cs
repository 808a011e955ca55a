using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace WabaOrchestrator.Api.Tests.Infrastructure;

/// <summary>Signs webhooks as Vonage does (HS256 JWT, payload_hash of the body), with knobs to forge each part.</summary>
public static class WebhookSigner
{
    public static string Sign(byte[] body, string secret = ApiHost.SignatureSecret, DateTimeOffset? issuedAt = null, string? payloadHash = null, string alg = "HS256")
    {
        var header = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new { alg, typ = "JWT" }));
        var claims = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iat"] = (issuedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString(),
            ["api_key"] = "sandbox",
            ["payload_hash"] = payloadHash ?? Convert.ToHexStringLower(SHA256.HashData(body)),
        }));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(header + "." + claims));
        return header + "." + claims + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>An inbound SMS as Vonage posts it; by default from "WhatsApp", the sender id WhatsApp's codes come from.</summary>
    public static byte[] JsonBody(string to, string text, string? messageId = null, string sender = "WhatsApp") =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["msisdn"] = sender,
            ["to"] = to,
            ["messageId"] = messageId ?? Guid.NewGuid().ToString("N"),
            ["text"] = text,
            ["type"] = "text",
            ["keyword"] = "YOUR",
            ["api-key"] = "sandbox",
            // As Vonage stamps it: when it received the SMS, UTC, whole seconds. The workflow ignores codes received
            // before the code was sent, so a fixed date here would make every code look stale.
            ["message-timestamp"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        });
}
