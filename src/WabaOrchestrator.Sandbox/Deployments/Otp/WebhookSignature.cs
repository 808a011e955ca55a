using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace WabaOrchestrator.Sandbox.Deployments.Otp;

/// <summary>
/// Signs a webhook as Vonage does: an HS256 JWT with the account's signature secret whose
/// <c>payload_hash</c> is the hex SHA-256 of the exact body bytes. Written by hand because the
/// identity libraries refuse HMAC keys shorter than 256 bits, which Vonage secrets can be.
/// </summary>
internal static class WebhookSignature
{
    private static readonly string Header = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);

    public static string Sign(byte[] body, string secret, string apiKey, DateTimeOffset now)
    {
        var claims = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iat"] = now.ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString(),
            ["api_key"] = apiKey,
            ["payload_hash"] = Convert.ToHexStringLower(SHA256.HashData(body)),
        });
        var signingInput = Header + "." + Base64Url.EncodeToString(claims);
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }
}
