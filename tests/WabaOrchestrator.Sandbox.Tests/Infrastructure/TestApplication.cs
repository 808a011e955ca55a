using System.IdentityModel.Tokens.Jwt;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace WabaOrchestrator.Sandbox.Tests.Infrastructure;

/// <summary>A Vonage application with a real RSA key pair, minting real RS256 tokens.</summary>
public sealed class TestApplication : IDisposable
{
    public TestApplication(string? applicationId = null)
    {
        ApplicationId = applicationId ?? Guid.NewGuid().ToString();
        Key = RSA.Create(2048);
    }

    public string ApplicationId { get; }

    public RSA Key { get; }

    public string PublicKeyPem => Key.ExportSubjectPublicKeyInfoPem();

    /// <summary>
    /// A token as Vonage SDKs mint them. <paramref name="issuedAt"/> null omits <c>iat</c>;
    /// <paramref name="lifetime"/> null omits <c>exp</c>.
    /// </summary>
    public string MintToken(DateTimeOffset? issuedAt = default, TimeSpan? lifetime = null, RSA? signingKey = null, string? applicationId = null, bool omitIssuedAt = false)
    {
        var iat = issuedAt ?? DateTimeOffset.UtcNow;
        var payload = new JwtPayload
        {
            ["application_id"] = applicationId ?? ApplicationId,
            ["jti"] = Guid.NewGuid().ToString(),
        };
        if (!omitIssuedAt)
        {
            payload["iat"] = iat.ToUnixTimeSeconds();
        }

        if (lifetime is { } life)
        {
            payload["exp"] = iat.Add(life).ToUnixTimeSeconds();
        }

        var credentials = new SigningCredentials(new RsaSecurityKey(signingKey ?? Key), SecurityAlgorithms.RsaSha256);
        var token = new JwtSecurityToken(new JwtHeader(credentials), payload);
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    public void Dispose() => Key.Dispose();
}
