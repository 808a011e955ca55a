using System.IdentityModel.Tokens.Jwt;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using WabaOrchestrator.Vonage.Configuration;

namespace WabaOrchestrator.Vonage.Auth;

/// <summary>Supplies the bearer token for Vonage application auth.</summary>
public interface IVonageTokenProvider
{
    ValueTask<string> GetTokenAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Mints RS256 application JWTs (<c>application_id</c>, <c>iat</c>, unique <c>jti</c>, <c>exp</c>) and
/// shares one until it is within <see cref="RenewBefore"/> of expiry. Signing is a few hundred
/// microseconds, so one lock around the rare renewal is cheaper than any cleverness; the hot path
/// is a volatile read.
/// </summary>
public sealed class VonageTokenProvider(IVonagePrivateKeySource keySource, IOptions<VonageOptions> options, TimeProvider time) : IVonageTokenProvider
{
    /// <summary>A token is replaced once less than this is left, so no request carries one about to lapse.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(1);

    private static readonly CryptoProviderFactory UncachedFactory = new() { CacheSignatureProviders = false };

    private readonly Lock _gate = new();
    private readonly JwtSecurityTokenHandler _writer = new();
    private volatile CachedToken? _current;

    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_current is { } token && token.IsFresh(now))
        {
            return token.Value;
        }

        var key = await keySource.GetPrivateKeyAsync(cancellationToken);
        lock (_gate)
        {
            now = time.GetUtcNow();
            if (_current is { } raced && raced.IsFresh(now))
            {
                return raced.Value;
            }

            var settings = options.Value;
            var issuedAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
            var expires = issuedAt + settings.TokenLifetime;
            var payload = new JwtPayload
            {
                ["application_id"] = settings.ApplicationId,
                ["iat"] = issuedAt.ToUnixTimeSeconds(),
                ["jti"] = Guid.NewGuid().ToString("N"),
                ["exp"] = expires.ToUnixTimeSeconds(),
            };
            // The default factory caches signers process-wide by key material, so a provider disposed
            // elsewhere (another container with the same key, a reloaded key) would hand us a signer
            // over a disposed RSA. Minting is rare; an uncached factory is the safe choice.
            var credentials = new SigningCredentials(new RsaSecurityKey(key) { CryptoProviderFactory = UncachedFactory }, SecurityAlgorithms.RsaSha256);
            var minted = new CachedToken(_writer.WriteToken(new JwtSecurityToken(new JwtHeader(credentials), payload)), expires);
            _current = minted;
            return minted.Value;
        }
    }

    private sealed record CachedToken(string Value, DateTimeOffset ExpiresAt)
    {
        public bool IsFresh(DateTimeOffset now) => now < ExpiresAt - RenewBefore;
    }
}
