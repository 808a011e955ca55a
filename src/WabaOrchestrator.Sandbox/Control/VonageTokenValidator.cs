using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace WabaOrchestrator.Sandbox.Control;

/// <summary>
/// Checks application JWTs as Vonage does: RS256 with the application's key, <c>application_id</c>
/// naming a known application, and Vonage's lifetime rules (see <see cref="Validate"/>).
/// </summary>
internal sealed class VonageTokenValidator(ApplicationRegistry applications, TimeProvider time)
{
    /// <summary>Vonage's default lifetime of a token that carries no <c>exp</c>.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(15);

    /// <summary>No token is honoured longer than this after its <c>iat</c>, whatever its <c>exp</c>.</summary>
    public static readonly TimeSpan MaximumLifetime = TimeSpan.FromHours(24);

    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    // Clients reuse one token for many calls; re-verifying the RSA signature each time would make
    // auth the sandbox's bottleneck. Bounded: cleared wholesale when full.
    private const int CacheCapacity = 10_000;

    private static readonly JsonWebTokenHandler Handler = new();
    private readonly ConcurrentDictionary<string, CachedToken> _cache = new(StringComparer.Ordinal);

    /// <summary>
    /// Answers from the cache of tokens already verified, without allocating: true with
    /// <paramref name="error"/> null (good) or set (refused); false when the token must be verified.
    /// </summary>
    public bool TryCheckVerified(ReadOnlySpan<char> token, out string? error)
    {
        error = null;
        if (!_cache.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(token, out var cached)
            || !applications.TryGetKey(cached.ApplicationId, out var currentKey)
            || !ReferenceEquals(currentKey, cached.Key))
        {
            return false;
        }

        error = cached.Check(time.GetUtcNow());
        return true;
    }

    /// <summary>Null when the token is good; otherwise the reason it is refused.</summary>
    public async ValueTask<string?> ValidateAsync(string token)
    {
        if (TryCheckVerified(token, out var known))
        {
            return known;
        }

        var now = time.GetUtcNow();

        JsonWebToken jwt;
        try
        {
            jwt = Handler.ReadJsonWebToken(token);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException)
        {
            return "The token is not a well-formed JWT.";
        }

        if (!jwt.TryGetPayloadValue<string>("application_id", out var applicationId) || string.IsNullOrEmpty(applicationId))
        {
            return "The token carries no application_id claim.";
        }

        if (!applications.TryGetKey(applicationId, out var key))
        {
            return $"Unknown application '{applicationId}'.";
        }

        var result = await Handler.ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            IssuerSigningKey = key,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            RequireSignedTokens = true,
        });
        if (!result.IsValid)
        {
            return "The token signature does not verify with the application's public key.";
        }

        var lifetime = Validate(jwt);
        if (lifetime.Error is not null)
        {
            return lifetime.Error;
        }

        var entry = new CachedToken(applicationId, key, lifetime.NotBefore, lifetime.Expires);
        if (_cache.Count >= CacheCapacity)
        {
            _cache.Clear();
        }

        _cache[token] = entry;
        return entry.Check(now);
    }

    /// <summary>
    /// Vonage's lifetime rules: a token needs <c>iat</c> or <c>exp</c>; without <c>exp</c> it is good
    /// for 15 minutes after <c>iat</c>; never beyond 24 hours after <c>iat</c>; <c>nbf</c> is honoured.
    /// </summary>
    private static (string? Error, DateTimeOffset NotBefore, DateTimeOffset Expires) Validate(JsonWebToken jwt)
    {
        var issuedAt = ReadTime(jwt, "iat");
        var expires = ReadTime(jwt, "exp");
        var notBefore = ReadTime(jwt, "nbf");
        if (issuedAt is null && expires is null)
        {
            return ("The token carries neither iat nor exp.", default, default);
        }

        var effectiveExpiry = expires ?? issuedAt!.Value + DefaultLifetime;
        if (issuedAt is { } iat && effectiveExpiry > iat + MaximumLifetime)
        {
            effectiveExpiry = iat + MaximumLifetime;
        }

        var effectiveStart = Max(notBefore ?? DateTimeOffset.MinValue, issuedAt ?? DateTimeOffset.MinValue);
        return (null, effectiveStart, effectiveExpiry);
    }

    private static DateTimeOffset? ReadTime(JsonWebToken jwt, string claim) =>
        jwt.TryGetPayloadValue<long>(claim, out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private sealed record CachedToken(string ApplicationId, RsaSecurityKey Key, DateTimeOffset NotBefore, DateTimeOffset Expires)
    {
        public string? Check(DateTimeOffset now) =>
            now > Expires + ClockSkew ? "The token has expired."
            : now + ClockSkew < NotBefore ? "The token is not valid yet (iat or nbf is in the future)."
            : null;
    }
}
