using System.Net.Http.Json;
using System.Security.Cryptography;
using WabaOrchestrator.Sandbox;

namespace WabaOrchestrator.Testing;

/// <summary>
/// The Vonage side of a test stack: a sandbox on loopback (fast 20 ms steps) that knows a fresh RS256 application key,
/// and the host settings that point a Vonage client and the onboarding at it with fast timings. Hosts of either engine
/// build on <see cref="HostSettings"/>.
/// </summary>
public sealed class LoopbackVonage : IAsyncDisposable
{
    private readonly RSA _key;
    private readonly string _secretProtectionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private LoopbackVonage(SandboxHost sandbox, RSA key, string applicationId)
    {
        Sandbox = sandbox;
        _key = key;
        ApplicationId = applicationId;
        SandboxClient = new HttpClient { BaseAddress = sandbox.BaseAddress };
    }

    public SandboxHost Sandbox { get; }

    public string ApplicationId { get; }

    /// <summary>Talks to the sandbox's control endpoints (<c>/_sandbox/stats</c>, <c>/_sandbox/reset</c>, …).</summary>
    public HttpClient SandboxClient { get; }

    public static async Task<LoopbackVonage> StartAsync(Action<SandboxOptions>? configureSandbox = null)
    {
        var key = RSA.Create(2048);
        var applicationId = Guid.NewGuid().ToString();
        var sandbox = await SandboxHost.StartAsync(sandboxOptions =>
        {
            sandboxOptions.StepDelay = TimeSpan.FromMilliseconds(20);
            sandboxOptions.TemplateReviewDelay = TimeSpan.FromMilliseconds(50);
            sandboxOptions.Applications.Add(new SandboxApplication { ApplicationId = applicationId, PublicKey = key.ExportSubjectPublicKeyInfoPem() });
            configureSandbox?.Invoke(sandboxOptions);
        });
        return new LoopbackVonage(sandbox, key, applicationId);
    }

    /// <summary>Vonage client, secret protection and fast onboarding settings; the same on every start of one stack.</summary>
    public Dictionary<string, string?> HostSettings() => new()
    {
        ["Vonage:BaseUrl"] = Sandbox.BaseAddress.AbsoluteUri,
        ["Vonage:ApplicationId"] = ApplicationId,
        ["Vonage:PrivateKey"] = _key.ExportPkcs8PrivateKeyPem(),
        ["Vonage:Resilience:BaseDelay"] = "00:00:00.010",
        ["Vonage:Resilience:MaxDelay"] = "00:00:00.100",
        ["SecretProtection:Key"] = _secretProtectionKey,
        ["Onboarding:PollInterval"] = "00:00:00.020",
        ["Onboarding:MaxPollInterval"] = "00:00:00.100",
        ["Onboarding:OtpWindow"] = "00:00:05",
        ["Onboarding:Callbacks:SigningSecret"] = "callback-signing-secret",
        // Test receivers listen on http://127.0.0.1; the SSRF tests turn these off again.
        ["Onboarding:Callbacks:AllowHttp"] = "true",
        ["Onboarding:Callbacks:AllowPrivateAddresses"] = "true",
    };

    /// <summary>The sandbox's per-operation counts, e.g. <c>stats["POST /v0.1/whatsapp-manager/deployments"]["202"]</c>.</summary>
    public async Task<Dictionary<string, Dictionary<string, int>>> StatsAsync() =>
        (await SandboxClient.GetFromJsonAsync<Dictionary<string, Dictionary<string, int>>>("_sandbox/stats"))!;

    public async ValueTask DisposeAsync()
    {
        SandboxClient.Dispose();
        await Sandbox.DisposeAsync();
        _key.Dispose();
    }
}
