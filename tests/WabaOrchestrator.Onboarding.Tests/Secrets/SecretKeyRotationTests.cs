using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Onboarding.Secrets;

namespace WabaOrchestrator.Onboarding.Tests.Secrets;

/// <summary>Rotating the secret-protection key while onboardings that used the old one are still running.</summary>
public sealed class SecretKeyRotationTests
{
    // A pin ("123456", purpose "pin") as the protector wrote it before key ids existed (format wsp1, one key): the
    // constant was checked against that code, so it stays readable however the format moves on.
    private const string LegacyKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private const string LegacyPin = "wsp1:AQIDBAUGBwgJCgsMNNhp4dmiZ4_M4a-6oiufDHZjrwBvoQ";

    private static readonly string OldKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string NewKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void AValueWrittenBeforeKeyIds_IsReadWithTodaysKeyAsTheRingsFirstKey()
    {
        using var beforeRotation = Protector(new() { Key = LegacyKey });
        using var afterRotation = Protector(new() { Key = LegacyKey, Keys = { ["2"] = NewKey }, PrimaryKeyId = "2" });

        Assert.Equal("123456", beforeRotation.Unprotect(LegacyPin, SecretPurposes.Pin));
        Assert.Equal("123456", afterRotation.Unprotect(LegacyPin, SecretPurposes.Pin));
        Assert.ThrowsAny<CryptographicException>(() => afterRotation.Unprotect(LegacyPin, SecretPurposes.Otp));
    }

    [Fact]
    public void Rotate_OldValuesStayReadable_AndNewValuesCarryTheNewKeyId()
    {
        using var before = Protector(new() { Keys = { ["2025-01"] = OldKey } });
        var old = before.Protect("AbCdEFGHiJK123456", SecretPurposes.VnameCertificate);
        Assert.StartsWith("wsp2:2025-01:", old, StringComparison.Ordinal);

        using var after = Protector(new() { Keys = { ["2025-01"] = OldKey, ["2025-06"] = NewKey }, PrimaryKeyId = "2025-06" });
        var fresh = after.Protect("654321", SecretPurposes.Otp);

        Assert.Equal("AbCdEFGHiJK123456", after.Unprotect(old, SecretPurposes.VnameCertificate));
        Assert.StartsWith("wsp2:2025-06:", fresh, StringComparison.Ordinal);
        Assert.Equal("654321", after.Unprotect(fresh, SecretPurposes.Otp));
        // The old key alone cannot read what the new one wrote.
        Assert.ThrowsAny<CryptographicException>(() => before.Unprotect(fresh, SecretPurposes.Otp));
    }

    [Fact]
    public void RemovingAKeyStillNeeded_FailsReadingWithAnErrorNamingTheKeyIdNotTheKey()
    {
        using var before = Protector(new() { Keys = { ["old"] = OldKey } });
        var pin = before.Protect("123456", SecretPurposes.Pin);
        using var removed = Protector(new() { Keys = { ["new"] = NewKey } });

        var ex = Assert.ThrowsAny<CryptographicException>(() => removed.Unprotect(pin, SecretPurposes.Pin));

        Assert.Contains("'old'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(OldKey, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(NewKey, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tampering_IsStillDetected_InTheValueAndInItsKeyId()
    {
        using var ring = Protector(new() { Keys = { ["a"] = OldKey, ["b"] = NewKey }, PrimaryKeyId = "b" });
        var value = ring.Protect("123456", SecretPurposes.Pin);
        var flipped = value[..^2] + (value[^2] == 'A' ? "B" : "A") + value[^1];
        var otherId = value.Replace("wsp2:b:", "wsp2:a:", StringComparison.Ordinal);
        using var legacy = Protector(new() { Key = LegacyKey, Keys = { ["2"] = NewKey }, PrimaryKeyId = "2" });
        var legacyFlipped = LegacyPin[..^2] + (LegacyPin[^2] == 'A' ? "B" : "A") + LegacyPin[^1];

        Assert.ThrowsAny<CryptographicException>(() => ring.Unprotect(flipped, SecretPurposes.Pin));
        Assert.ThrowsAny<CryptographicException>(() => ring.Unprotect(otherId, SecretPurposes.Pin));
        Assert.ThrowsAny<CryptographicException>(() => ring.Unprotect("wsp2::" + value[7..], SecretPurposes.Pin));
        Assert.ThrowsAny<CryptographicException>(() => legacy.Unprotect(legacyFlipped, SecretPurposes.Pin));
    }

    [Theory]
    [InlineData(new[] { "Keys:a", "Keys:b" }, null, "PrimaryKeyId")]
    [InlineData(new[] { "Keys:a" }, "c", "'c'")]
    [InlineData(new[] { "Keys:bad id" }, null, "'bad id'")]
    [InlineData(new string[0], null, "SecretProtection:Key")]
    public void ARingWithoutAClearPrimaryOrWithABadId_FailsTheStartWithAMessageNamingIt(string[] keys, string? primary, string expected)
    {
        var settings = keys.ToDictionary(k => $"SecretProtection:{k}", _ => (string?)OldKey);
        settings["SecretProtection:PrimaryKeyId"] = primary;
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        new Builder(services).AddOnboarding();
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SecretProtectionOptions>>().Value);

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(OldKey, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeysFromConfiguration_FormTheRing_WithKeyFilesCreatedOnFirstUse()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"waba-ring-{Guid.NewGuid():N}");
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["SecretProtection:KeyFile"] = Path.Combine(directory, "secret-protection.key"),
                ["SecretProtection:KeyFiles:2"] = Path.Combine(directory, "secret-protection-2.key"),
                ["SecretProtection:PrimaryKeyId"] = "2",
            }).Build();
            var options = configuration.GetSection(SecretProtectionOptions.SectionName).Get<SecretProtectionOptions>()!;

            var ring = options.ResolveKeyRing();

            Assert.Equal(["1", "2"], ring.Keys.Keys.Order(StringComparer.Ordinal));
            Assert.Equal("2", ring.PrimaryId);
            Assert.True(File.Exists(Path.Combine(directory, "secret-protection-2.key")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static AesGcmSecretProtector Protector(SecretProtectionOptions options) => new(options.ResolveKeyRing());

    private sealed class Builder(IServiceCollection services) : IDurableBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
