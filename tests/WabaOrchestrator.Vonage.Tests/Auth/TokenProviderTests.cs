using System.IdentityModel.Tokens.Jwt;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using WabaOrchestrator.Vonage.Auth;
using WabaOrchestrator.Vonage.Configuration;
using WabaOrchestrator.Vonage.Tests.Infrastructure;

namespace WabaOrchestrator.Vonage.Tests.Auth;

public sealed class TokenProviderTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly CountingKeySource _keys = new(TestApplication.Instance.PrivateKeyPem);

    private VonageTokenProvider CreateProvider() => new(_keys, Options.Create(new VonageOptions { ApplicationId = TestApplication.Instance.ApplicationId }), _time);

    private static JwtSecurityToken Validate(string token)
    {
        using var publicKey = RSA.Create();
        publicKey.ImportFromPem(TestApplication.Instance.PublicKeyPem);
        new JwtSecurityTokenHandler().ValidateToken(token, new TokenValidationParameters
        {
            IssuerSigningKey = new RsaSecurityKey(publicKey) { CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false } },
            ValidateIssuerSigningKey = true,
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false, // checked below against the manual clock
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        }, out var validated);
        return (JwtSecurityToken)validated;
    }

    [Fact]
    public async Task Token_IsRs256_SignedWithTheApplicationKey_WithTheVonageClaims()
    {
        var token = Validate(await CreateProvider().GetTokenAsync(CancellationToken.None));

        Assert.Equal("RS256", token.Header.Alg);
        Assert.Equal("JWT", token.Header.Typ);
        Assert.Equal(TestApplication.Instance.ApplicationId, token.Payload["application_id"]);
        Assert.Equal(_time.GetUtcNow().ToUnixTimeSeconds(), Convert.ToInt64(token.Payload["iat"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(_time.GetUtcNow().AddMinutes(15).ToUnixTimeSeconds(), Convert.ToInt64(token.Payload["exp"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(string.IsNullOrEmpty(token.Id));
    }

    [Fact]
    public async Task Token_IsReused_UntilAMinuteBeforeExpiry_ThenRenewedWithANewJti()
    {
        var provider = CreateProvider();
        var first = await provider.GetTokenAsync(CancellationToken.None);

        _time.Advance(TimeSpan.FromMinutes(13) + TimeSpan.FromSeconds(59));
        Assert.Same(first, await provider.GetTokenAsync(CancellationToken.None));

        _time.Advance(TimeSpan.FromSeconds(1));
        var renewed = await provider.GetTokenAsync(CancellationToken.None);

        Assert.NotEqual(first, renewed);
        Assert.NotEqual(Validate(first).Id, Validate(renewed).Id);
        Assert.Equal(_time.GetUtcNow().ToUnixTimeSeconds(), Convert.ToInt64(Validate(renewed).Payload["iat"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ConcurrentCallers_ShareOneToken_AndTheKeyIsLoadedOnce()
    {
        var provider = CreateProvider();

        var tokens = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => provider.GetTokenAsync(CancellationToken.None).AsTask())));

        Assert.Single(tokens.Distinct());
        Assert.Equal(1, _keys.Loads);
    }

    [Fact]
    public async Task ConcurrentCallers_AtRenewal_AllGetAFreshToken_MintedOnce()
    {
        var provider = CreateProvider();
        var old = await provider.GetTokenAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(14));

        var tokens = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => provider.GetTokenAsync(CancellationToken.None).AsTask())));

        var renewed = Assert.Single(tokens.Distinct());
        Assert.NotEqual(old, renewed);
    }

    [Fact]
    public async Task AnInvalidPem_FailsWithAMessageNamingTheSource_NotTheKey()
    {
        const string secret = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END PRIVATE KEY-----";
        var provider = new VonageTokenProvider(new InlinePrivateKeySource(secret), Options.Create(new VonageOptions { ApplicationId = "app" }), _time);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => provider.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains("Vonage:PrivateKey", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APemWithEscapedNewlines_FromAnEnvironmentVariable_IsAccepted()
    {
        var escaped = TestApplication.Instance.PrivateKeyPem.Replace("\n", "\\n", StringComparison.Ordinal);
        var provider = new VonageTokenProvider(new InlinePrivateKeySource(escaped), Options.Create(new VonageOptions { ApplicationId = "app" }), _time);

        Validate(await provider.GetTokenAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ABase64Pem_AsAzdEnvSetCarriesIt_IsAccepted()
    {
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(TestApplication.Instance.PrivateKeyPem));
        var provider = new VonageTokenProvider(new InlinePrivateKeySource(base64), Options.Create(new VonageOptions { ApplicationId = "app" }), _time);

        Validate(await provider.GetTokenAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ABase64Pkcs1Pem_WrappedAt76Columns_IsAccepted()
    {
        var pkcs1 = TestApplication.Instance.Key.ExportRSAPrivateKeyPem();
        var wrapped = Convert.ToBase64String(Encoding.UTF8.GetBytes(pkcs1), Base64FormattingOptions.InsertLineBreaks) + "\n";
        var provider = new VonageTokenProvider(new InlinePrivateKeySource(wrapped), Options.Create(new VonageOptions { ApplicationId = "app" }), _time);

        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", pkcs1, StringComparison.Ordinal);
        Validate(await provider.GetTokenAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Base64OfSomethingElse_FailsWithoutRevealingItOrWhatItDecodesTo()
    {
        var secret = Convert.ToBase64String(Encoding.UTF8.GetBytes("secret-key-material"));
        var provider = new VonageTokenProvider(new InlinePrivateKeySource(secret), Options.Create(new VonageOptions { ApplicationId = "app" }), _time);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => provider.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains("Vonage:PrivateKey", error.Message, StringComparison.Ordinal);
        Assert.Contains("base64", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret-key-material", error.ToString(), StringComparison.Ordinal);
    }

    private sealed class CountingKeySource(string pem) : PemPrivateKeySource
    {
        private int _loads;

        public int Loads => _loads;

        protected override string Description => "test";

        protected override async Task<string> LoadPemAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _loads);
            await Task.Yield();
            return pem;
        }
    }
}
