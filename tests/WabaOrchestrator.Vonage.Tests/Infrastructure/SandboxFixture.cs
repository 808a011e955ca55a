using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Sandbox;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Media;
using WabaOrchestrator.Vonage.Profile;
using WabaOrchestrator.Vonage.Stickers;
using WabaOrchestrator.Vonage.Templates;

namespace WabaOrchestrator.Vonage.Tests.Infrastructure;

/// <summary>
/// The real sandbox on a loopback port, the client built by <c>AddVonageWhatsApp</c> against it, a
/// request recorder, and a plain HttpClient for the sandbox's control endpoints. State machines
/// step every 20 ms.
/// </summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    private int _numbers;

    public SandboxHost Host { get; private set; } = null!;

    public ServiceProvider Services { get; private set; } = null!;

    public RequestLog Log { get; } = new();

    public HttpClient Control { get; private set; } = null!;

    public IDeploymentsClient Deployments => Services.GetRequiredService<IDeploymentsClient>();

    public IProfileClient Profile => Services.GetRequiredService<IProfileClient>();

    public IStickersClient Stickers => Services.GetRequiredService<IStickersClient>();

    public ITemplatesClient Templates => Services.GetRequiredService<ITemplatesClient>();

    public IMediaClient Media => Services.GetRequiredService<IMediaClient>();

    public static Task<SandboxHost> StartSandboxAsync(Action<SandboxOptions>? configure = null) =>
        SandboxHost.StartAsync(options =>
        {
            options.StepDelay = TimeSpan.FromMilliseconds(20);
            options.TemplateReviewDelay = TimeSpan.FromMilliseconds(50);
            options.ResendCooldown = TimeSpan.Zero;
            options.Applications.Add(new SandboxApplication { ApplicationId = TestApplication.Instance.ApplicationId, PublicKey = TestApplication.Instance.PublicKeyPem });
            configure?.Invoke(options);
        });

    public async Task InitializeAsync()
    {
        Host = await StartSandboxAsync();
        Services = VonageClientFactory.Create(Host.BaseAddress, Log);
        Control = new HttpClient { BaseAddress = Host.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        Control.Dispose();
        await Services.DisposeAsync();
        await Host.DisposeAsync();
    }

    /// <summary>A number no other test uses, so <c>number-in-use</c> only happens on purpose.</summary>
    public string NextNumber(string suffix = "") => $"77009{Interlocked.Increment(ref _numbers):D5}{suffix}";

    public ProvisionDeploymentRequest NewProvision(string? number = null, string certificate = "AbCdEFGHiJK123456") =>
        new("44", number ?? NextNumber(), certificate, OtpMethod.Sms, "123456789123");

    /// <summary>Per-operation counts by status from <c>GET /_sandbox/stats</c>.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>>> StatsAsync()
    {
        using var document = JsonDocument.Parse(await Control.GetStringAsync("_sandbox/stats"));
        var root = document.RootElement;
        if (root.TryGetProperty("operations", out var operations))
        {
            root = operations;
        }

        // The sandbox keys its root collection route with a trailing slash ("POST /v0.1/…/deployments/"); normalise.
        return root.EnumerateObject().ToDictionary(
            o => o.Name.TrimEnd('/'),
            o => (IReadOnlyDictionary<string, long>)o.Value.EnumerateObject().ToDictionary(s => s.Name, s => s.Value.GetInt64()));
    }

    /// <summary>Responses the sandbox sent for <paramref name="operation"/> ("METHOD /route/{template}"), optionally of one status.</summary>
    public async Task<long> CountAsync(string operation, int? status = null)
    {
        var stats = await StatsAsync();
        if (!stats.TryGetValue(operation.TrimEnd('/'), out var byStatus))
        {
            return 0;
        }

        return status is { } s ? byStatus.GetValueOrDefault(s.ToString(System.Globalization.CultureInfo.InvariantCulture)) : byStatus.Values.Sum();
    }

    public async Task<long> TotalApiRequestsAsync() => (await StatsAsync()).Values.SelectMany(v => v.Values).Sum();

    public async Task SetFaultsAsync(double throttleRate = 0, double errorRate = 0, int latencyMs = 0)
    {
        using var response = await Control.PostAsJsonAsync("_sandbox/faults", new { throttle_rate = throttleRate, error_rate = errorRate, latency_ms = latencyMs });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The code the sandbox "sent" to the phone.</summary>
    public async Task<string> OtpAsync(string deploymentId)
    {
        using var document = JsonDocument.Parse(await Control.GetStringAsync($"_sandbox/deployments/{deploymentId}/otp"));
        return document.RootElement.GetProperty("code").GetString()!;
    }

    /// <summary>Polls (no sleeping on a guess) until the deployment reaches <paramref name="state"/>.</summary>
    public async Task<Deployment> WaitForStateAsync(string deploymentId, DeploymentState state, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var deployment = await Deployments.GetAsync(deploymentId);
            if (deployment.State == state)
            {
                return deployment;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Deployment {deploymentId} is {deployment.State}, expected {state}.");
            }

            await Task.Delay(10); // poll interval, bounded by the deadline above
        }
    }

    /// <summary>Provisions a number and takes it through OTP verification to READY.</summary>
    public async Task<Deployment> ReadyDeploymentAsync()
    {
        var deployment = await Deployments.ProvisionAsync(NewProvision());
        await WaitForStateAsync(deployment.DeploymentId, DeploymentState.CodeSent);
        await Deployments.VerifyOtpAsync(deployment.DeploymentId, await OtpAsync(deployment.DeploymentId));
        return await WaitForStateAsync(deployment.DeploymentId, DeploymentState.Ready);
    }
}
