using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using WabaOrchestrator.Vonage.Auth;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Tests.Infrastructure;

namespace WabaOrchestrator.Vonage.Tests.Auth;

public sealed class KeyVaultTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private const string SecretName = "vonage-private-key";

    private static Response<KeyVaultSecret> Secret(string value) =>
        Response.FromValue(SecretModelFactory.KeyVaultSecret(new SecretProperties(SecretName), value), Mock.Of<Response>());

    private static void UseKeyVault(Dictionary<string, string?> settings)
    {
        settings.Remove("Vonage:PrivateKey");
        settings["Vonage:KeyVault:VaultUri"] = "https://waba-test.vault.azure.net/";
        settings["Vonage:KeyVault:PrivateKeySecretName"] = SecretName;
    }

    [Fact]
    public async Task TheKey_IsReadFromKeyVault_OnceAcrossConcurrentRequests_AndSignsTokensTheSandboxAccepts()
    {
        var secrets = new Mock<SecretClient>();
        secrets.Setup(s => s.GetSecretAsync(SecretName, null, It.IsAny<CancellationToken>())).ReturnsAsync(Secret(TestApplication.Instance.PrivateKeyPem));
        await using var services = VonageClientFactory.Create(sandbox.Host.BaseAddress, settings: UseKeyVault,
            services: s => s.AddKeyedSingleton(VonageServiceCollectionExtensions.SecretClientKey, secrets.Object));
        var client = services.GetRequiredService<IDeploymentsClient>();
        var deployment = await sandbox.Deployments.ProvisionAsync(sandbox.NewProvision());

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => client.GetAsync(deployment.DeploymentId)));

        secrets.Verify(s => s.GetSecretAsync(SecretName, null, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task AFailedRead_IsNotCached_TheNextCallReadsAgain()
    {
        var secrets = new Mock<SecretClient>();
        secrets.SetupSequence(s => s.GetSecretAsync(SecretName, null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(503, "vault unavailable"))
            .ReturnsAsync(Secret(TestApplication.Instance.PrivateKeyPem));
        var source = new KeyVaultPrivateKeySource(secrets.Object, SecretName);

        await Assert.ThrowsAsync<RequestFailedException>(() => source.GetPrivateKeyAsync(CancellationToken.None).AsTask());
        var key = await source.GetPrivateKeyAsync(CancellationToken.None);

        Assert.Equal(2048, key.KeySize);
        secrets.Verify(s => s.GetSecretAsync(SecretName, null, It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task ASecretThatIsNotAKey_FailsWithoutRevealingIt()
    {
        var secrets = new Mock<SecretClient>();
        secrets.Setup(s => s.GetSecretAsync(SecretName, null, It.IsAny<CancellationToken>())).ReturnsAsync(Secret("hunter2-not-a-pem"));
        var source = new KeyVaultPrivateKeySource(secrets.Object, SecretName);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => source.GetPrivateKeyAsync(CancellationToken.None).AsTask());

        Assert.Contains(SecretName, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
    }
}
