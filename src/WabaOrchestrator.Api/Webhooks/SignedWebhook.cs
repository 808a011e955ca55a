using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace WabaOrchestrator.Api.Webhooks;

/// <summary>
/// Verifies Vonage's signed webhooks: <c>Authorization: Bearer</c> carries an HS256 JWT signed with the account's
/// signature secret; its <c>payload_hash</c> claim is the hex SHA-256 of the exact body bytes (empty for a GET) and
/// its <c>iat</c> must be within the allowed skew of now. Checked by hand rather than with the JWT libraries because
/// those refuse HMAC keys shorter than 256 bits, and Vonage secrets can be shorter.
/// </summary>
public static class SignedWebhook
{
    /// <summary>Null when the delivery is authentic; otherwise why not (for the 401's detail).</summary>
    public static string? Verify(string? authorization, ReadOnlySpan<byte> body, string secret, DateTimeOffset now, TimeSpan maxSkew)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return "The webhook is not signed (no Authorization: Bearer token).";
        }

        var parts = authorization[scheme.Length..].Trim().Split('.');
        if (parts.Length != 3)
        {
            return "The signature is not a JWT.";
        }

        JsonElement header, claims;
        byte[] signature;
        try
        {
            header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement;
            claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement;
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return "The signature is not a well-formed JWT.";
        }

        // Only HS256: accepting the token's own choice of algorithm ("none", RS256 with the secret as a key) is how
        // JWT checks get bypassed.
        if (header.ValueKind != JsonValueKind.Object || !header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || StringOf(alg) != "HS256")
        {
            return "The signature's algorithm must be HS256.";
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        if (!CryptographicOperations.FixedTimeEquals(expected, signature))
        {
            return "The signature does not match.";
        }

        if (claims.ValueKind != JsonValueKind.Object
            || !claims.TryGetProperty("iat", out var iat) || iat.ValueKind != JsonValueKind.Number || !iat.TryGetInt64(out var issuedAt))
        {
            return "The signature has no iat claim.";
        }

        var age = now - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(issuedAt, -62135596800L, 253402300799L));
        if (age.Duration() > maxSkew)
        {
            return $"The signature was issued {age.TotalSeconds:F0} s from now; at most {maxSkew.TotalSeconds:F0} s is accepted.";
        }

        if (!claims.TryGetProperty("payload_hash", out var hash) || hash.ValueKind != JsonValueKind.String)
        {
            return "The signature has no payload_hash claim.";
        }

        var actual = Convert.ToHexStringLower(SHA256.HashData(body));
        return StringOf(hash) is { } claimed && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(actual), Encoding.ASCII.GetBytes(claimed.ToLowerInvariant()))
            ? null
            : "The payload_hash does not match the body.";
    }

    // GetString throws on a string whose escapes are not valid UTF-16 ("\ud800"): that is no valid claim either.
    private static string? StringOf(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
