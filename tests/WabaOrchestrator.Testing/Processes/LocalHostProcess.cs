using System.Net.Http.Json;
using System.Text.Json;

namespace WabaOrchestrator.Testing.Processes;

/// <summary>
/// The local host alone, as the quickstart runs it: one child process with the Vonage sandbox embedded under
/// <c>/sandbox</c> (no Vonage settings), its state and the sandbox's in a temp data directory. Fast defaults (sandbox
/// steps 20 ms, host polls from 50 ms, OTP window 5 s) under <see cref="StartAsync"/>'s settings. SIGKILL and restart
/// on the same port and data directory take the sandbox down and up with the host, which is what the quickstart's
/// restarts do.
/// </summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _environment;
    private readonly TimeSpan _startTimeout;
    private readonly List<string> _previousOutput = [];

    private LocalHostProcess(string directory, Uri address, Dictionary<string, string?> environment, TimeSpan startTimeout)
    {
        Directory = directory;
        Address = address;
        _environment = environment;
        _startTimeout = startTimeout;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Add("x-functions-key", ProcessStack.ApiKey);
        SandboxClient = new HttpClient { BaseAddress = new Uri(address, "sandbox/") };
    }

    /// <summary>The temp directory holding the data directory (<see cref="DataDirectory"/>) and the working directory.</summary>
    public string Directory { get; }

    public string DataDirectory => Path.Combine(Directory, "data");

    public Uri Address { get; }

    public ServiceProcess Process { get; private set; } = null!;

    /// <summary>Talks to the API with <see cref="ProcessStack.ApiKey"/> in <c>x-functions-key</c>.</summary>
    public HttpClient Client { get; }

    /// <summary>The embedded sandbox's root (<c>/sandbox/</c>): its control endpoints need no token.</summary>
    public HttpClient SandboxClient { get; }

    /// <summary>Everything the host wrote across every run, crashes included.</summary>
    public string Logs => string.Concat(_previousOutput) + Process.Output;

    /// <param name="settings">Host settings (<c>Sandbox:StepDelay</c>, <c>Onboarding:OtpWindow</c>, …) over the defaults.</param>
    /// <param name="startTimeout">How long a start may take before it is a failure (60 s).</param>
    public static async Task<LocalHostProcess> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, TimeSpan? startTimeout = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"waba-e2e-local-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        var address = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}/");
        var values = new Dictionary<string, string?>
        {
            ["Local:DataDirectory"] = Path.Combine(directory, "data"),
            ["Auth:Keys:0"] = ProcessStack.ApiKey,
            ["Sandbox:StepDelay"] = "00:00:00.020",
            ["Sandbox:TemplateReviewDelay"] = "00:00:00.050",
            ["Sandbox:ResendCooldown"] = "00:00:00.200",
            ["Sandbox:InboundSms:RetryDelay"] = "00:00:00.200",
            ["Sandbox:InboundSms:MaxRetryDelay"] = "00:00:01",
            ["Vonage:Resilience:BaseDelay"] = "00:00:00.010",
            ["Vonage:Resilience:MaxDelay"] = "00:00:00.200",
            ["Onboarding:PollInterval"] = "00:00:00.050",
            ["Onboarding:MaxPollInterval"] = "00:00:00.200",
            ["Onboarding:OtpWindow"] = "00:00:05",
            ["Logging:LogLevel:Default"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var environment = values.ToDictionary(e => e.Key.Replace(":", "__", StringComparison.Ordinal), e => e.Value);
        var host = new LocalHostProcess(directory, address, environment, startTimeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await host.StartProcessAsync();
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILLs the host, embedded sandbox and all (no shutdown code runs), and starts it again on the same port and data.</summary>
    public async Task KillAndRestartAsync()
    {
        Process.Kill();
        _previousOutput.Add(Process.Output);
        await Process.DisposeAsync();
        await StartProcessAsync();
    }

    /// <summary>The embedded sandbox's deployments (<c>GET /sandbox/_sandbox/deployments</c>), from its persisted state.</summary>
    public async Task<IReadOnlyList<JsonElement>> SandboxDeploymentsAsync() =>
        [.. (await SandboxClient.GetFromJsonAsync<JsonElement>("_sandbox/deployments")).GetProperty("deployments").EnumerateArray()];

    /// <summary>The inbound SMS the embedded sandbox has not delivered yet (<c>GET /sandbox/_sandbox/inbound-sms</c>).</summary>
    public async Task<IReadOnlyList<JsonElement>> PendingSmsAsync() =>
        [.. (await SandboxClient.GetFromJsonAsync<JsonElement>("_sandbox/inbound-sms")).GetProperty("pending").EnumerateArray()];

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        SandboxClient.Dispose();
        if (Process is not null)
        {
            await Process.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A handle still closing; the OS cleans its temp directory eventually.
        }
    }

    private async Task StartProcessAsync()
    {
        var workingDirectory = Path.Combine(Directory, "host");
        System.IO.Directory.CreateDirectory(workingDirectory);
        Process = ServiceProcess.Start("WabaOrchestrator.Local", ["--urls", Address.AbsoluteUri], _environment, workingDirectory);
        using var probe = new HttpClient { BaseAddress = Address };
        await Poll.UntilAsync(() => Process.AnswersAsync(probe, "healthz"), "the local host process to be healthy", _startTimeout);
    }
}
