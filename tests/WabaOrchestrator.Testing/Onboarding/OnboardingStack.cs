using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Onboarding;
using WabaOrchestrator.Onboarding.Secrets;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Errors;
using WabaOrchestrator.Vonage.Profile;

namespace WabaOrchestrator.Testing;

/// <summary>How an <see cref="OnboardingStack"/> differs from the fast defaults of <see cref="StackHost"/>.</summary>
public sealed record StackSetup
{
    /// <summary><c>Onboarding:*</c> and other host settings.</summary>
    public Dictionary<string, string?> Settings { get; init; } = [];

    public TimeSpan? StepDelay { get; init; }

    /// <summary>The sandbox's minimum time between two codes of a deployment (20 ms unless told).</summary>
    public TimeSpan? ResendCooldown { get; init; }

    /// <summary>Point the sandbox's inbound-SMS webhook at a receiver that raises the Otp event for each delivered code.</summary>
    public bool SmsWebhook { get; init; }

    /// <summary>The receiver raises the event, then answers 500 to the first delivery of each message, so Vonage re-sends it.</summary>
    public bool FailFirstSmsDelivery { get; init; }

    public Action<IServiceCollection>? ConfigureServices { get; init; }
}

/// <summary>
/// The real stack on one engine (<see cref="IOnboardingEngine"/>; the SQLite one of <see cref="StackHost"/> unless told)
/// with what the onboarding scenarios share: every log line captured at Trace, every plaintext secret the test used
/// remembered for the leak check, an optional inbound-SMS webhook receiver (signed like Vonage's), and helpers to start,
/// observe and drive onboardings.
/// </summary>
public sealed partial class OnboardingStack : IAsyncDisposable
{
    public const string SmsSignatureSecret = "sms-signature-secret-for-tests";

    private readonly ConcurrentBag<string> _secrets = [];
    private readonly ConcurrentDictionary<string, int> _smsAttempts = new(StringComparer.Ordinal);
    private LoopbackReceiver? _smsReceiver;
    private bool _failFirstSmsDelivery;

    private OnboardingStack()
    {
    }

    public IOnboardingEngine Engine { get; private set; } = null!;

    /// <summary>The SQLite engine's host (restarts, data files); only on that engine.</summary>
    public StackHost Host => (Engine as SqliteOnboardingEngine)?.Host
        ?? throw new InvalidOperationException($"The {Engine.Name} engine has no {nameof(StackHost)}.");

    public CapturingLoggerProvider Logs { get; } = new();

    public IOrchestrationClient Client => Engine.Client;

    public OnboardingStarter Starter => Engine.Starter;

    /// <summary>Deliveries the webhook receiver accepted: (messageId, to, code).</summary>
    public ConcurrentQueue<(string MessageId, string To, string Code)> SmsDeliveries { get; } = new();

    /// <summary>Webhook calls whose signature did not verify (should stay empty).</summary>
    public ConcurrentQueue<string> SmsSignatureFailures { get; } = new();

    public static Task<OnboardingStack> StartAsync(StackSetup? setup = null) => StartAsync(SqliteOnboardingEngine.Factory, setup);

    public static async Task<OnboardingStack> StartAsync(OnboardingEngineFactory engine, StackSetup? setup = null)
    {
        setup ??= new StackSetup();
        var stack = new OnboardingStack { _failFirstSmsDelivery = setup.FailFirstSmsDelivery };
        if (setup.SmsWebhook)
        {
            stack._smsReceiver = await LoopbackReceiver.StartAsync(stack.ReceiveSmsAsync);
        }

        stack.Engine = await engine(new StackOptions
        {
            ConfigureSandbox = sandbox =>
            {
                sandbox.StepDelay = setup.StepDelay ?? sandbox.StepDelay;
                sandbox.ResendCooldown = setup.ResendCooldown ?? TimeSpan.FromMilliseconds(20);
                sandbox.InboundSms.RetryDelay = TimeSpan.FromMilliseconds(30);
                if (stack._smsReceiver is { } receiver)
                {
                    sandbox.InboundSms.WebhookUrl = new Uri(receiver.BaseAddress, "inbound-sms");
                    sandbox.InboundSms.SignatureSecret = SmsSignatureSecret;
                }
            },
            Settings = setup.Settings,
            ConfigureServices = setup.ConfigureServices,
            ConfigureLogging = logging =>
            {
                logging.ClearProviders();
                logging.SetMinimumLevel(LogLevel.Trace);
                logging.AddProvider(stack.Logs);
            },
        });
        return stack;
    }

    /// <summary>A fresh 10-digit number; <paramref name="ending"/> picks a sandbox scenario (0001, 0002).</summary>
    public static string NewNumber(string ending = "") =>
        "7" + RandomDigits(9 - ending.Length) + ending;

    public static string RandomDigits(int count) =>
        string.Concat(Enumerable.Range(0, count).Select(_ => (char)('0' + RandomNumberGenerator.GetInt32(10))));

    /// <summary>Starts an onboarding with a random certificate and pin (remembered as secrets); returns its instance id.</summary>
    public async Task<string> StartOnboardingAsync(
        string number, string method = "sms", BusinessProfile? profile = null, string? photoUrl = null, string? callbackUrl = null, string certificatePrefix = "cert")
    {
        var request = new OnboardingRequest
        {
            CountryCode = "44",
            Number = number,
            VnameCertificate = Remember($"{certificatePrefix}-{Guid.NewGuid():N}"),
            Method = method,
            WabaId = "1234567890",
            Pin = Remember(RandomDigits(6)),
            Profile = profile,
            PhotoUrl = photoUrl,
            CallbackUrl = callbackUrl,
        };
        var started = await Starter.StartAsync(request);
        Assert.True(started.Outcome == StartOutcome.Started, $"Start was {started.Outcome}: {string.Join("; ", started.Problems)}");
        return started.InstanceId!;
    }

    /// <summary>Schedules the orchestrator directly with an input the starter would refuse (as persisted by an older version).</summary>
    public async Task<string> StartUncheckedAsync(string number, BusinessProfile? profile, string? photoUrl)
    {
        var secrets = Engine.Services.GetRequiredService<ISecretProtector>();
        var instanceId = OnboardingEvents.InstanceIdFor("44", number);
        var input = new OnboardingInput
        {
            CountryCode = "44",
            Number = number,
            Method = OtpMethod.Sms,
            WabaId = "1234567890",
            ProtectedVnameCertificate = secrets.Protect(Remember($"cert-{Guid.NewGuid():N}"), SecretPurposes.VnameCertificate),
            ProtectedPin = secrets.Protect(Remember(RandomDigits(6)), SecretPurposes.Pin),
            Profile = profile,
            PhotoUrl = photoUrl,
            Settings = Engine.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<OnboardingOptions>>().Value.Resolve(null),
        };
        await Client.ScheduleNewOrchestrationInstanceAsync(nameof(OnboardingOrchestrator), instanceId, input);
        return instanceId;
    }

    public async Task<OnboardingStatus> WaitForStatusAsync(string instanceId, Func<OnboardingStatus, bool> condition, string what) =>
        await Poll.UntilAsync(async () => (await Client.GetInstanceAsync(instanceId))?.ReadCustomStatusAs<OnboardingStatus>() is { } status && condition(status) ? status : null, what);

    public Task<OnboardingStatus> WaitForOtpAsync(string instanceId) =>
        WaitForStatusAsync(instanceId, s => s is { Stage: OnboardingStage.WaitingForOtp, DeploymentId: not null }, "the OTP wait");

    /// <summary>The code the sandbox sent (read from its control endpoint, as an operator would read the SMS).</summary>
    public async Task<(string Code, string Method)> SandboxOtpAsync(string deploymentId)
    {
        var otp = await Engine.Vonage.SandboxClient.GetFromJsonAsync<JsonElement>($"_sandbox/deployments/{deploymentId}/otp");
        var code = otp.GetProperty("code").GetString()!;
        return (Remember(code), otp.GetProperty("method").GetString()!);
    }

    public async Task RaiseOtpAsync(string instanceId, string code, string source = OtpSources.Api) =>
        await Client.RaiseEventAsync(instanceId, OnboardingEvents.Otp, Starter.ProtectOtp(Remember(code), source));

    /// <summary>A 6-digit code different from <paramref name="notThis"/>.</summary>
    public string WrongCode(string? notThis = null)
    {
        string code;
        do
        {
            code = RandomDigits(6);
        }
        while (code == notThis);
        return Remember(code);
    }

    public async Task<OrchestrationMetadata> CompletionAsync(string instanceId)
    {
        using var timeout = new CancellationTokenSource(Poll.DefaultTimeout);
        return await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
    }

    /// <summary>Vonage's state of a deployment, or "NOT_FOUND".</summary>
    public async Task<string> VonageStateAsync(string deploymentId)
    {
        try
        {
            return (await Engine.Services.GetRequiredService<IDeploymentsClient>().GetAsync(deploymentId)).State?.Value ?? "?";
        }
        catch (VonageApiException ex) when (ex.IsNotFound)
        {
            return "NOT_FOUND";
        }
    }

    /// <summary>Responses the sandbox gave to one operation, by status code (0 when none).</summary>
    public async Task<int> SandboxCountAsync(string operation, string status)
    {
        var stats = await Engine.Vonage.StatsAsync();
        return stats.TryGetValue(operation, out var byStatus) && byStatus.TryGetValue(status, out var count) ? count : 0;
    }

    /// <summary>
    /// None of the plaintext pins, certificates or codes this test used appears in what the engine stores (the SQLite
    /// engine's raw files; the Durable Task engine's history and instance state) or in any captured log line (engine,
    /// Vonage client, onboarding, ASP.NET).
    /// </summary>
    public async Task AssertNoPlaintextSecretsAsync(string instanceId)
    {
        var stored = await Engine.StoredStateAsync(instanceId);
        var logs = Logs.Text;

        // The checks only mean something if the instance is in the store and the logs at all.
        Assert.Contains(stored, s => s.Text.Contains(instanceId, StringComparison.Ordinal));
        Assert.Contains(instanceId, logs, StringComparison.Ordinal);
        Assert.NotEmpty(_secrets);

        foreach (var secret in _secrets.Distinct())
        {
            foreach (var (name, text) in stored)
            {
                Assert.False(Occurs(text, secret), $"Plaintext secret '{secret}' found in {name} ({Engine.Name} engine).");
            }

            Assert.False(Occurs(logs, secret), $"Plaintext secret '{secret}' found in the logs ({Engine.Name} engine): {logs.Split('\n').FirstOrDefault(l => Occurs(l, secret))}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        if (_smsReceiver is not null)
        {
            await _smsReceiver.DisposeAsync();
        }
    }

    /// <summary>Adds a plaintext secret to the leak check (and its SMS spelling, for a code); returns it.</summary>
    public string Remember(string secret)
    {
        _secrets.Add(secret);
        if (secret.Length == 6 && secret.All(char.IsAsciiDigit))
        {
            // The form an SMS spells it in, too.
            _secrets.Add($"{secret[..3]}-{secret[3..]}");
        }

        return secret;
    }

    /// <summary>Digit secrets only count as whole numbers: a 6-digit code inside a 7-digit tick count is not a leak.</summary>
    private static bool Occurs(string text, string secret) =>
        secret.All(c => char.IsAsciiDigit(c) || c == '-')
            ? Regex.IsMatch(text, $@"(?<!\d){Regex.Escape(secret)}(?!\d)")
            : text.Contains(secret, StringComparison.Ordinal);

    /// <summary>Vonage's inbound-SMS webhook: check the HS256 signature and payload hash, take the code, raise the Otp event.</summary>
    private async Task ReceiveSmsAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        if (!SignatureValid(http.Request.Headers.Authorization.ToString(), body))
        {
            SmsSignatureFailures.Enqueue(http.Request.Headers.Authorization.ToString());
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        using var payload = JsonDocument.Parse(body);
        var messageId = payload.RootElement.GetProperty("messageId").GetString()!;
        var to = payload.RootElement.GetProperty("to").GetString()!;
        var code = CodePattern().Match(payload.RootElement.GetProperty("text").GetString()!).Value.Replace("-", "", StringComparison.Ordinal);
        Remember(code);
        SmsDeliveries.Enqueue((messageId, to, code));
        try
        {
            await Client.RaiseEventAsync($"waba-{to}", OnboardingEvents.Otp, Starter.ProtectOtp(code, OtpSources.Sms(messageId)));
        }
        catch (Exception ex) when (ex is OrchestrationNotRunningException or OrchestrationNotFoundException)
        {
            // A code for a finished onboarding: acknowledged, so Vonage stops re-sending it.
        }

        var attempt = _smsAttempts.AddOrUpdate(messageId, 1, (_, n) => n + 1);
        http.Response.StatusCode = _failFirstSmsDelivery && attempt == 1 ? StatusCodes.Status500InternalServerError : StatusCodes.Status204NoContent;
    }

    private static bool SignatureValid(string authorization, byte[] body)
    {
        const string scheme = "Bearer ";
        var parts = authorization.StartsWith(scheme, StringComparison.Ordinal) ? authorization[scheme.Length..].Split('.') : [];
        if (parts.Length != 3)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(SmsSignatureSecret), Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"));
        if (!CryptographicOperations.FixedTimeEquals(expected, Base64Url.DecodeFromChars(parts[2])))
        {
            return false;
        }

        using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        return claims.RootElement.GetProperty("payload_hash").GetString() == Convert.ToHexStringLower(SHA256.HashData(body));
    }

    [GeneratedRegex(@"\d{3}-?\d{3}")]
    private static partial Regex CodePattern();
}
