using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Api.Proxies;
using WabaOrchestrator.Api.Tests.Infrastructure;
using WabaOrchestrator.Testing;
using WabaOrchestrator.Vonage.Deployments;

namespace WabaOrchestrator.Api.Tests.Proxies;

/// <summary>
/// One API host over the real sandbox per test class (classes run in parallel, tests in a class one by one, so the
/// sandbox's call counts belong to the class), with helpers to seed deployments and to prove Vonage was not called.
/// </summary>
public class ProxyStack : IAsyncLifetime
{
    private readonly SemaphoreSlim _seeding = new(1, 1);
    private string? _ready;

    public StackHost Host { get; private set; } = null!;

    public HttpClient Api => Host.Client;

    /// <summary>Settings on top of the stack's (e.g. a low <c>Proxies:MaxUploadBytes</c>).</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    public static Task<StackHost> StartAsync(IDictionary<string, string?>? settings = null) =>
        ApiHost.StartAsync(new StackOptions
        {
            Settings = settings,
            // Resends are exercised back to back; the sandbox's cooldown is its own concern.
            ConfigureSandbox = sandbox => sandbox.ResendCooldown = TimeSpan.Zero,
            ConfigureServices = services => services.AddApiProxies(),
        });

    public async Task InitializeAsync() => Host = await StartAsync(Settings);

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        _seeding.Dispose();
    }

    /// <summary>Every request the sandbox has answered so far, all operations together.</summary>
    public async Task<int> VonageCallsAsync() => (await Host.SandboxStatsAsync()).Values.SelectMany(v => v.Values).Sum();

    /// <summary>A READY deployment, provisioned and verified once per class through the Vonage client and the sandbox's OTP.</summary>
    public async Task<string> ReadyDeploymentAsync()
    {
        await _seeding.WaitAsync();
        try
        {
            if (_ready is null)
            {
                var id = await CodeSentDeploymentAsync();
                var otp = await Host.SandboxClient.GetFromJsonAsync<JsonElement>($"_sandbox/deployments/{id}/otp");
                var deployments = Host.Services.GetRequiredService<IDeploymentsClient>();
                await deployments.VerifyOtpAsync(id, otp.GetProperty("code").GetString()!);
                await Poll.UntilAsync(async () => (await deployments.GetAsync(id)).State == DeploymentState.Ready ? id : null, "the deployment to be READY");
                _ready = id;
            }

            return _ready;
        }
        finally
        {
            _seeding.Release();
        }
    }

    /// <summary>A fresh deployment waiting for its code (CODE_SENT): profile and stickers answer 409 for it.</summary>
    public async Task<string> CodeSentDeploymentAsync()
    {
        var deployments = Host.Services.GetRequiredService<IDeploymentsClient>();
        var number = "7700" + Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture) + "5";
        var deployment = await deployments.ProvisionAsync(new ProvisionDeploymentRequest("44", number, "cert", OtpMethod.Sms, "1234567890"));
        return await Poll.UntilAsync(
            async () => (await deployments.GetAsync(deployment.DeploymentId)).State == DeploymentState.CodeSent ? deployment.DeploymentId : null,
            "the deployment to reach CODE_SENT");
    }
}
