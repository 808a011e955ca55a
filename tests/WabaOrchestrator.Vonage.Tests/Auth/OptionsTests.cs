using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WabaOrchestrator.Vonage.Configuration;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Tests.Infrastructure;

namespace WabaOrchestrator.Vonage.Tests.Auth;

public sealed class OptionsTests
{
    private static OptionsValidationException Invalid(Action<Dictionary<string, string?>> settings)
    {
        using var services = VonageClientFactory.Create(new Uri("http://127.0.0.1:1/"), settings: settings);
        return Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<VonageOptions>>().Value);
    }

    [Fact]
    public void MissingApplicationIdAndKey_SayWhatToSet()
    {
        var error = Invalid(s => s.Clear());

        Assert.Contains(error.Failures, f => f.Contains("Vonage:ApplicationId", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Vonage:PrivateKey", StringComparison.Ordinal) && f.Contains("Vonage:PrivateKeyPath", StringComparison.Ordinal) && f.Contains("Vonage:KeyVault:VaultUri", StringComparison.Ordinal));
    }

    [Fact]
    public void TwoKeySources_AreRefused()
    {
        var error = Invalid(s => s["Vonage:PrivateKeyPath"] = "/tmp/key.pem");

        Assert.Contains(error.Failures, f => f.Contains("More than one", StringComparison.Ordinal));
    }

    [Fact]
    public void KeyVault_WithoutASecretName_SaysWhatToSet()
    {
        var error = Invalid(s =>
        {
            s.Remove("Vonage:PrivateKey");
            s["Vonage:KeyVault:VaultUri"] = "https://v.vault.azure.net/";
        });

        Assert.Contains(error.Failures, f => f.Contains("Vonage:KeyVault:PrivateKeySecretName", StringComparison.Ordinal));
    }

    [Fact]
    public void ResilienceSettings_OutOfRange_AreRefused()
    {
        var error = Invalid(s => s["Vonage:Resilience:MaxRetryAttempts"] = "99");

        Assert.Contains(error.Failures, f => f.Contains("Vonage:Resilience:MaxRetryAttempts", StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_PointAtVonage_WithBoundedRetries()
    {
        var options = new VonageOptions();

        Assert.Equal(new Uri("https://api.nexmo.com/"), options.BaseUrl);
        Assert.Equal(TimeSpan.FromMinutes(15), options.TokenLifetime);
        Assert.InRange(options.Resilience.MaxRetryAttempts, 1, 10);
        Assert.True(options.Resilience.AttemptTimeout < options.Resilience.TotalTimeout);
    }

    [Fact]
    public async Task PrivateKeyPath_LoadsTheKeyFromAFile()
    {
        await using var sandbox = await SandboxFixture.StartSandboxAsync();
        var path = Path.Combine(Path.GetTempPath(), $"vonage-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(path, TestApplication.Instance.PrivateKeyPem);
        try
        {
            await using var services = VonageClientFactory.Create(sandbox.BaseAddress, settings: s =>
            {
                s.Remove("Vonage:PrivateKey");
                s["Vonage:PrivateKeyPath"] = path;
            });

            var deployment = await services.GetRequiredService<IDeploymentsClient>().ProvisionAsync(new ProvisionDeploymentRequest("44", "7700900123", "cert", OtpMethod.Voice, "123"));

            Assert.Equal(DeploymentState.Initializing, deployment.State);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ABaseUrlWithAPathPrefix_IsKeptInEveryRequest()
    {
        var log = new RequestLog();
        await using var services = VonageClientFactory.Create(new Uri("http://127.0.0.1:1/sandbox"), log, s => s["Vonage:Resilience:MaxRetryAttempts"] = "0");

        await Assert.ThrowsAsync<HttpRequestException>(() => services.GetRequiredService<IDeploymentsClient>().GetAsync("abc"));

        Assert.Equal("/sandbox/v0.1/whatsapp-manager/deployments/abc", log.Last.Uri.AbsolutePath);
    }
}
