using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WabaOrchestrator.Durable;

namespace WabaOrchestrator.Onboarding.Tests.Callbacks;

/// <summary>The callback settings as the hosts bind them from configuration.</summary>
public sealed class CallbackOptionsTests
{
    [Fact]
    public void Bind_NoCallbackSettings_HttpsPublicOnlyAnyHost()
    {
        var callbacks = Options([]).Callbacks;

        Assert.False(callbacks.AllowHttp);
        Assert.False(callbacks.AllowPrivateAddresses);
        Assert.Empty(callbacks.AllowedHosts);
    }

    [Fact]
    public void Bind_TheDocumentedSettings_AreRead()
    {
        var callbacks = Options(new()
        {
            ["Onboarding:Callbacks:AllowHttp"] = "true",
            ["Onboarding:Callbacks:AllowPrivateAddresses"] = "true",
            ["Onboarding:Callbacks:AllowedHosts:0"] = "hooks.example.com",
            ["Onboarding:Callbacks:AllowedHosts:1"] = "*.partner.example",
        }).Callbacks;

        Assert.True(callbacks.AllowHttp);
        Assert.True(callbacks.AllowPrivateAddresses);
        Assert.Equal(["hooks.example.com", "*.partner.example"], callbacks.AllowedHosts);
    }

    [Fact]
    public void Bind_AnAllowedHostThatIsAUrl_RefusedAtStart()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Options(new() { ["Onboarding:Callbacks:AllowedHosts:0"] = "https://hooks.example.com/" }));

        Assert.Contains("Onboarding:Callbacks:AllowedHosts", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Onboarding:Callbacks:FinalWait", "02:00:00", "Callbacks:FinalWait")]
    [InlineData("Onboarding:Callbacks:Timeout", "00:00:00", "Callbacks:Timeout")]
    public void Bind_ANestedSettingOutOfItsRange_RefusedAtStartNamingIt(string key, string value, string named)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Options(new() { [key] = value }));

        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }

    private static OnboardingOptions Options(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        new Builder(services).AddOnboarding();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<OnboardingOptions>>().Value;
    }

    private sealed class Builder(IServiceCollection services) : IDurableBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
