using System.Net.Http.Json;
using System.Security.Cryptography;

namespace WabaOrchestrator.Testing.Processes;

/// <summary>What a <see cref="ProcessStack"/> runs on top of its fast defaults.</summary>
public sealed record ProcessStackOptions
{
    /// <summary>Local host settings (<c>Onboarding:OtpWindow</c>, <c>Logging:LogLevel:Default</c>, …) over the defaults.</summary>
    public IReadOnlyDictionary<string, string?> HostSettings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Sandbox settings (<c>Sandbox:StepDelay</c>, …) over the defaults.</summary>
    public IReadOnlyDictionary<string, string?> SandboxSettings { get; init; } = new Dictionary<string, string?>();

    /// <summary>How long a start may take before it is a failure.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Gives the sandbox a data directory (<c>Sandbox:DataDirectory</c>, <see cref="ProcessStack.SandboxDataDirectory"/>)
    /// so that it keeps its state across <see cref="ProcessStack.KillAndRestartSandboxAsync"/>; off: in memory, as before.
    /// </summary>
    public bool PersistentSandbox { get; init; }
}

/// <summary>
/// The service as it runs for real, in two child processes on loopback: the sandbox (<c>WabaOrchestrator.Sandbox</c>)
/// standing in for Vonage, and the local host (<c>WabaOrchestrator.Local</c>) talking to it with a real RSA key the
/// sandbox knows, on a SQLite file in a temp data directory. The sandbox delivers SMS codes to the host's signed
/// webhook, so an sms onboarding completes by itself. The host can be killed (SIGKILL) and restarted on the same
/// port, data and key; the sandbox, being another process, keeps its state (and its stats) across host crashes.
/// </summary>
public sealed class ProcessStack : IAsyncDisposable
{
    public const string ApiKey = "e2e-api-key-0123456789abcdef";

    private readonly ProcessStackOptions _options;
    private readonly Dictionary<string, string?> _hostEnvironment;
    private readonly Dictionary<string, string?> _sandboxEnvironment;
    private readonly List<string> _previousHostOutput = [];

    private ProcessStack(ProcessStackOptions options, string directory, Uri hostAddress, Uri sandboxAddress, Dictionary<string, string?> hostEnvironment, Dictionary<string, string?> sandboxEnvironment, ServiceProcess sandbox)
    {
        _options = options;
        Directory = directory;
        HostAddress = hostAddress;
        SandboxAddress = sandboxAddress;
        _hostEnvironment = hostEnvironment;
        _sandboxEnvironment = sandboxEnvironment;
        Sandbox = sandbox;
        Client = CreateClient();
        SandboxClient = new HttpClient { BaseAddress = sandboxAddress };
    }

    /// <summary>The temp directory holding the host's data (<see cref="DataDirectory"/>) and the processes' working directories.</summary>
    public string Directory { get; }

    public string DataDirectory => Path.Combine(Directory, "data");

    public string DatabasePath => Path.Combine(DataDirectory, "durable.db");

    /// <summary>The sandbox's data directory when <see cref="ProcessStackOptions.PersistentSandbox"/> is on.</summary>
    public string SandboxDataDirectory => Path.Combine(Directory, "sandbox-data");

    public Uri HostAddress { get; }

    public Uri SandboxAddress { get; }

    /// <summary>The secret the sandbox signs inbound-SMS webhooks with, for tests that forge or replay them.</summary>
    public string SignatureSecret => _hostEnvironment["Vonage__SignatureSecret"]!;

    /// <summary>The RSA private key (PKCS#8 PEM) the host signs Vonage tokens with, for leak checks.</summary>
    public string PrivateKeyPem => _hostEnvironment["Vonage__PrivateKey"]!;

    public ServiceProcess Host { get; private set; } = null!;

    public ServiceProcess Sandbox { get; private set; }

    /// <summary>Talks to the host's API with <see cref="ApiKey"/> in <c>x-functions-key</c>.</summary>
    public HttpClient Client { get; }

    /// <summary>Talks to the sandbox: its Vonage API and its control endpoints (<c>/_sandbox/stats</c>, <c>/_sandbox/faults</c>, …).</summary>
    public HttpClient SandboxClient { get; }

    /// <summary>The host's logs across every run since the stack started, crashes included.</summary>
    public string HostLogs => string.Concat(_previousHostOutput) + Host.Output;

    public static async Task<ProcessStack> StartAsync(ProcessStackOptions? options = null)
    {
        options ??= new ProcessStackOptions();
        var directory = Path.Combine(Path.GetTempPath(), $"waba-e2e-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        // Chosen up front: the host keeps its port across restarts, since the sandbox's webhook names it.
        var hostAddress = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}/");
        var sandboxAddress = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}/");
        var applicationId = Guid.NewGuid().ToString();
        var signatureSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        string privateKey, publicKey;
        using (var rsa = RSA.Create(2048))
        {
            privateKey = rsa.ExportPkcs8PrivateKeyPem();
            publicKey = rsa.ExportSubjectPublicKeyInfoPem();
        }

        var sandboxEnvironment = Environment(
            new Dictionary<string, string?>
            {
                ["Sandbox:StepDelay"] = "00:00:00.020",
                ["Sandbox:TemplateReviewDelay"] = "00:00:00.050",
                ["Sandbox:ResendCooldown"] = "00:00:00.200",
                ["Sandbox:InboundSms:RetryDelay"] = "00:00:00.500",
                ["Sandbox:InboundSms:MaxAttempts"] = "8",
                ["Sandbox:Applications:0:ApplicationId"] = applicationId,
                ["Sandbox:Applications:0:PublicKey"] = publicKey,
                ["Sandbox:InboundSms:WebhookUrl"] = new Uri(hostAddress, "api/webhooks/vonage/inbound-sms").AbsoluteUri,
                ["Sandbox:InboundSms:SignatureSecret"] = signatureSecret,
                ["Logging:LogLevel:Default"] = "Warning",
                ["Sandbox:DataDirectory"] = options.PersistentSandbox ? Path.Combine(directory, "sandbox-data") : null,
            },
            options.SandboxSettings);
        var sandboxDirectory = Path.Combine(directory, "sandbox");
        System.IO.Directory.CreateDirectory(sandboxDirectory);
        var sandbox = ServiceProcess.Start("WabaOrchestrator.Sandbox", ["--urls", sandboxAddress.AbsoluteUri], sandboxEnvironment, sandboxDirectory);

        var hostEnvironment = Environment(
            new Dictionary<string, string?>
            {
                ["Local:DataDirectory"] = Path.Combine(directory, "data"),
                ["Vonage:BaseUrl"] = sandboxAddress.AbsoluteUri,
                ["Vonage:ApplicationId"] = applicationId,
                ["Vonage:PrivateKey"] = privateKey,
                ["Vonage:SignatureSecret"] = signatureSecret,
                ["Vonage:Resilience:BaseDelay"] = "00:00:00.010",
                ["Vonage:Resilience:MaxDelay"] = "00:00:00.200",
                ["Auth:Keys:0"] = ApiKey,
                ["Onboarding:PollInterval"] = "00:00:00.050",
                ["Onboarding:MaxPollInterval"] = "00:00:00.200",
                ["Onboarding:OtpWindow"] = "00:00:05",
                ["Logging:LogLevel:Default"] = "Information",
            },
            options.HostSettings);

        var stack = new ProcessStack(options, directory, hostAddress, sandboxAddress, hostEnvironment, sandboxEnvironment, sandbox);
        try
        {
            await Poll.UntilAsync(() => sandbox.AnswersAsync(stack.SandboxClient, "_sandbox/stats"), "the sandbox process to answer", options.StartTimeout);
            await stack.StartHostAsync();
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    public HttpClient CreateClient(string? apiKey = ApiKey)
    {
        var client = new HttpClient { BaseAddress = HostAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("x-functions-key", apiKey);
        }

        return client;
    }

    /// <summary>SIGKILLs the host (no shutdown code runs) and starts it again on the same port, data and key.</summary>
    public async Task KillAndRestartHostAsync()
    {
        Host.Kill();
        _previousHostOutput.Add(Host.Output);
        await Host.DisposeAsync();
        await StartHostAsync();
    }

    /// <summary>
    /// SIGKILLs the sandbox and starts it again on the same port (and data directory, with
    /// <see cref="ProcessStackOptions.PersistentSandbox"/>); its stats start afresh.
    /// </summary>
    public async Task KillAndRestartSandboxAsync()
    {
        await Sandbox.DisposeAsync();
        Sandbox = ServiceProcess.Start("WabaOrchestrator.Sandbox", ["--urls", SandboxAddress.AbsoluteUri], _sandboxEnvironment, Path.Combine(Directory, "sandbox"));
        await Poll.UntilAsync(() => Sandbox.AnswersAsync(SandboxClient, "_sandbox/stats"), "the sandbox process to answer again", _options.StartTimeout);
    }

    /// <summary>The sandbox's per-operation counts, e.g. <c>stats["POST /v0.1/whatsapp-manager/deployments"]["202"]</c>.</summary>
    public async Task<Dictionary<string, Dictionary<string, int>>> SandboxStatsAsync() =>
        (await SandboxClient.GetFromJsonAsync<Dictionary<string, Dictionary<string, int>>>("_sandbox/stats"))!;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        SandboxClient.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        await Sandbox.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A handle still closing; the OS cleans its temp directory eventually.
        }
    }

    private async Task StartHostAsync()
    {
        var hostDirectory = Path.Combine(Directory, "host");
        System.IO.Directory.CreateDirectory(hostDirectory);
        Host = ServiceProcess.Start("WabaOrchestrator.Local", ["--urls", HostAddress.AbsoluteUri], _hostEnvironment, hostDirectory);
        using var probe = new HttpClient { BaseAddress = HostAddress };
        await Poll.UntilAsync(() => Host.AnswersAsync(probe, "healthz"), "the local host process to be healthy", _options.StartTimeout);
    }

    // Configuration keys as environment variables (":" becomes "__"), settings over the defaults.
    private static Dictionary<string, string?> Environment(Dictionary<string, string?> defaults, IReadOnlyDictionary<string, string?> settings)
    {
        foreach (var (key, value) in settings)
        {
            defaults[key] = value;
        }

        return defaults.ToDictionary(e => e.Key.Replace(":", "__", StringComparison.Ordinal), e => e.Value);
    }
}
