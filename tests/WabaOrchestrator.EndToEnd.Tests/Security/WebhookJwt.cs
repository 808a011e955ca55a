using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace WabaOrchestrator.EndToEnd.Tests.Security;

/// <summary>
/// Vonage's signed-webhook JWT built by hand, so each part can be forged on its own: the header (any <c>alg</c>),
/// the claims (<c>iat</c>, <c>payload_hash</c>, either left out) and the signature (HMAC with any secret and hash,
/// RSA, or none). The sandbox's signer is internal and the Api tests' one is tied to their host, hence this copy.
/// </summary>
public sealed record WebhookJwt
{
    public string Alg { get; init; } = "HS256";

    public DateTimeOffset? IssuedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Null leaves the claim out; otherwise the hex SHA-256 the token vouches for.</summary>
    public string? PayloadHash { get; init; }

    /// <summary>Signs <paramref name="body"/>'s hash, as the sandbox does.</summary>
    public static WebhookJwt For(ReadOnlySpan<byte> body) => new() { PayloadHash = Convert.ToHexStringLower(SHA256.HashData(body)) };

    /// <summary>The token HMAC-signed with <paramref name="secret"/> (SHA-256 unless <paramref name="hash"/> says otherwise).</summary>
    public string Sign(string secret, HashAlgorithmName? hash = null)
    {
        var input = SigningInput();
        var key = Encoding.UTF8.GetBytes(secret);
        var data = Encoding.ASCII.GetBytes(input);
        var signature = (hash ?? HashAlgorithmName.SHA256).Name switch
        {
            "SHA512" => HMACSHA512.HashData(key, data),
            "SHA384" => HMACSHA384.HashData(key, data),
            _ => HMACSHA256.HashData(key, data),
        };
        return input + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>The token signed with an RSA key (PKCS#1 v1.5, SHA-256): what an RS256 token really is.</summary>
    public string SignRsa(string privateKeyPem)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(privateKeyPem);
        var input = SigningInput();
        return input + "." + Base64Url.EncodeToString(rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    /// <summary>Header and claims with an empty signature, as <c>alg: none</c> tokens are written.</summary>
    public string Unsigned() => SigningInput() + ".";

    private string SigningInput()
    {
        var claims = new Dictionary<string, object> { ["jti"] = Guid.NewGuid().ToString(), ["api_key"] = "sandbox" };
        if (IssuedAt is { } iat)
        {
            claims["iat"] = iat.ToUnixTimeSeconds();
        }

        if (PayloadHash is not null)
        {
            claims["payload_hash"] = PayloadHash;
        }

        return Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new { alg = Alg, typ = "JWT" }))
            + "." + Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims));
    }
}
