using System.Security.Cryptography;
using Azure;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Moq;
using WabaOrchestrator.Functions.Hosting;
using WabaOrchestrator.Onboarding.Secrets;

namespace WabaOrchestrator.Functions.Tests.Hosting;

public sealed class KeyVaultSecretsTests
{
    private readonly Mock<SecretClient> _vault = new(MockBehavior.Strict);

    [Fact]
    public void Secrets_AreLaidOverTheSettingsTheOptionsBind()
    {
        Holds("vonage-private-key", "-----BEGIN PRIVATE KEY-----");
        Holds("vonage-signature-secret", "sig");
        Holds("secret-protection-key", "a2V5");
        Holds("callback-signing-secret", "cb");
        var configuration = new ConfigurationManager();

        configuration.AddKeyVaultSecrets(_vault.Object);

        Assert.Equal("-----BEGIN PRIVATE KEY-----", configuration["Vonage:PrivateKey"]);
        Assert.Equal("sig", configuration["Vonage:SignatureSecret"]);
        Assert.Equal("a2V5", configuration["SecretProtection:Key"]);
        Assert.Equal("cb", configuration["Onboarding:Callbacks:SigningSecret"]);
    }

    [Fact]
    public void ASettingThatIsAlreadySet_WinsAndItsSecretIsNotRead()
    {
        Holds("vonage-private-key", "from-vault");
        Holds("vonage-signature-secret", "sig");
        Holds("secret-protection-key", "a2V5");
        Holds("callback-signing-secret", "cb");
        var configuration = new ConfigurationManager();
        configuration["Vonage:PrivateKey"] = "from-local-settings";

        configuration.AddKeyVaultSecrets(_vault.Object);

        Assert.Equal("from-local-settings", configuration["Vonage:PrivateKey"]);
        _vault.Verify(v => v.GetSecret("vonage-private-key", It.IsAny<string>(), It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public void AMissingSecret_LeavesItsSettingUnset()
    {
        Holds("vonage-private-key", "pem");
        Holds("vonage-signature-secret", "sig");
        Holds("secret-protection-key", "a2V5");
        _vault.Setup(v => v.GetSecret("callback-signing-secret", It.IsAny<string>(), It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()))
            .Throws(new RequestFailedException(404, "SecretNotFound"));
        var configuration = new ConfigurationManager();

        configuration.AddKeyVaultSecrets(_vault.Object);

        Assert.Null(configuration["Onboarding:Callbacks:SigningSecret"]);
        Assert.Equal("pem", configuration["Vonage:PrivateKey"]);
    }

    [Fact]
    public void AVaultThatRefusesAccess_FailsTheStart()
    {
        _vault.Setup(v => v.GetSecret(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()))
            .Throws(new RequestFailedException(403, "Forbidden"));

        var ex = Assert.Throws<RequestFailedException>(() => new ConfigurationManager().AddKeyVaultSecrets(_vault.Object));

        Assert.Equal(403, ex.Status);
    }

    [Fact]
    public void WithoutAVaultUri_NothingIsRead()
    {
        var configuration = new ConfigurationManager();

        configuration.AddKeyVaultSecrets();

        Assert.Null(configuration["Vonage:PrivateKey"]);
    }

    [Fact]
    public void ARelativeVaultUri_IsRefusedNamingTheSetting()
    {
        var configuration = new ConfigurationManager();
        configuration[KeyVaultSecrets.VaultUriKey] = "kv-name";

        var ex = Assert.Throws<InvalidOperationException>(() => configuration.AddKeyVaultSecrets());

        Assert.Contains("KeyVault:VaultUri", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InAzure_TheVaultIsReadAsTheAppsManagedIdentityOnly()
    {
        var credential = KeyVaultSecrets.CreateCredential("00000000-0000-0000-0000-0000000000a1");

        Assert.IsType<ManagedIdentityCredential>(credential);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public void WithoutAManagedIdentityClientId_ALocalRunUsesTheDevelopersSignIn(string? clientId)
    {
        var credential = KeyVaultSecrets.CreateCredential(clientId);

        Assert.IsType<DefaultAzureCredential>(credential);
    }

    [Fact]
    public void EveryEnabledVersionOfTheProtectionKey_JoinsTheRing_TheCurrentOneAsPrimary()
    {
        Holds("vonage-private-key", "pem");
        Holds("vonage-signature-secret", "sig");
        Holds("callback-signing-secret", "cb");
        var old = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var current = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var disabled = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        HoldsVersion(null, "v3", current);
        HoldsVersion("v1", "v1", old);
        _vault.Setup(v => v.GetPropertiesOfSecretVersions(KeyVaultSecrets.SecretProtectionKeySecret, It.IsAny<CancellationToken>()))
            .Returns(Pageable<SecretProperties>.FromPages([Page<SecretProperties>.FromValues(
                [Version("v1", enabled: true), Version("v2", enabled: false), Version("v3", enabled: true)], null, Mock.Of<Response>())]));
        var configuration = new ConfigurationManager();

        configuration.AddKeyVaultSecrets(_vault.Object);

        Assert.Equal(current, configuration["SecretProtection:Keys:v3"]);
        Assert.Equal(old, configuration["SecretProtection:Keys:v1"]);
        Assert.Null(configuration["SecretProtection:Keys:v2"]);
        Assert.Equal("v3", configuration["SecretProtection:PrimaryKeyId"]);
        // A value written under the old version is still read, and new ones go under the current version.
        var ring = configuration.GetSection(SecretProtectionOptions.SectionName).Get<SecretProtectionOptions>()!.ResolveKeyRing();
        using var before = new AesGcmSecretProtector(new SecretKeyRing(new Dictionary<string, byte[]> { ["v1"] = Convert.FromBase64String(old) }, "v1"));
        using var after = new AesGcmSecretProtector(ring);
        Assert.Equal("123456", after.Unprotect(before.Protect("123456", SecretPurposes.Pin), SecretPurposes.Pin));
        Assert.StartsWith("wsp2:v3:", after.Protect("123456", SecretPurposes.Pin), StringComparison.Ordinal);
        _vault.Verify(v => v.GetSecret(KeyVaultSecrets.SecretProtectionKeySecret, "v2", It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    private void HoldsVersion(string? requested, string version, string value) =>
        _vault.Setup(v => v.GetSecret(KeyVaultSecrets.SecretProtectionKeySecret, requested, It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()))
            .Returns(Response.FromValue(SecretModelFactory.KeyVaultSecret(Version(version, enabled: true), value), Mock.Of<Response>()));

    private static SecretProperties Version(string version, bool enabled)
    {
        var properties = SecretModelFactory.SecretProperties(name: KeyVaultSecrets.SecretProtectionKeySecret, version: version);
        properties.Enabled = enabled;
        return properties;
    }

    private void Holds(string name, string value) =>
        _vault.Setup(v => v.GetSecret(name, It.IsAny<string>(), It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()))
            .Returns(Response.FromValue(SecretModelFactory.KeyVaultSecret(SecretModelFactory.SecretProperties(name: name), value), Mock.Of<Response>()));
}
