using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Api;
using WabaOrchestrator.Api.Webhooks;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Durable.Sqlite;
using WabaOrchestrator.Onboarding;
using WabaOrchestrator.Sandbox;
using WabaOrchestrator.Testing.Processes;

namespace WabaOrchestrator.Bench;

/// <summary>
/// The service as the local host composes it (API behind a function key, embedded engine on a temp SQLite file,
/// onboarding, Vonage client with real RS256 JWTs) in front of an in-process sandbox on its own loopback socket, which
/// texts each SMS code to the API's signed inbound-SMS webhook. Two taps feed the latency figures: the sandbox's first
/// middleware (<see cref="SandboxCallProbe"/>) and one in front of the webhook, which also hands the codes of
/// <see cref="PlainOnboardings"/> to them instead of to the engine.
/// </summary>
internal sealed class OnboardingBenchHost : IAsyncDisposable
{
    public const string ApiKey = "bench-onboarding-key-0123456789";
    public const string WabaId = "123456";
    public const string Certificate = "bench-vname-certificate";
    public const string About = "Fresh bread daily";

    private static int _lastNumber;

    private readonly string _dataDirectory;
    private readonly HttpClient _api;
    private readonly HttpClient _sandboxClient;

    private OnboardingBenchHost(SandboxHost sandbox, WebApplication app, SandboxCallProbe probe, ConcurrentDictionary<string, long> codes, string dataDirectory)
    {
        Sandbox = sandbox;
        App = app;
        Probe = probe;
        CodeDeliveries = codes;
        _dataDirectory = dataDirectory;
        Engine = app.Services.GetRequiredService<IOrchestrationClient>();
        Plain = new PlainOnboardings(app.Services);
        _api = new HttpClient(new SocketsHttpHandler()) { BaseAddress = new Uri(app.Urls.First().TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(2) };
        _api.DefaultRequestHeaders.Add("x-functions-key", ApiKey);
        _sandboxClient = new HttpClient(new SocketsHttpHandler()) { BaseAddress = sandbox.BaseAddress };
    }

    public SandboxHost Sandbox { get; }

    public WebApplication App { get; }

    public IOrchestrationClient Engine { get; }

    public PlainOnboardings Plain { get; }

    public SandboxCallProbe Probe { get; }

    /// <summary>When each number's first inbound-SMS webhook reached the API (country code and number → timestamp).</summary>
    public ConcurrentDictionary<string, long> CodeDeliveries { get; }

    /// <param name="stepDelay">The sandbox's time between two automatic deployment states.</param>
    /// <param name="onboarding">Onboarding:* settings (without the prefix).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static Task<OnboardingBenchHost> StartAsync(TimeSpan stepDelay, IReadOnlyDictionary<string, string> onboarding, CancellationToken cancellationToken) =>
        StartAsync(stepDelay, onboarding, SqliteSynchronous.Full, cancellationToken);

    /// <param name="stepDelay">The sandbox's time between two automatic deployment states.</param>
    /// <param name="onboarding">Onboarding:* settings (without the prefix).</param>
    /// <param name="synchronous">Durable:Synchronous of the engine and the webhook token store.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<OnboardingBenchHost> StartAsync(
        TimeSpan stepDelay, IReadOnlyDictionary<string, string> onboarding, SqliteSynchronous synchronous, CancellationToken cancellationToken)
    {
        using var key = RSA.Create(2048);
        var applicationId = Guid.NewGuid().ToString();
        var publicKey = key.ExportSubjectPublicKeyInfoPem();
        var webhookSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        // The sandbox needs the webhook's address before the API exists, so the API's port is chosen first.
        var apiPort = LoopbackPort.Free();
        var probe = new SandboxCallProbe();
        var sandbox = await SandboxHost.StartAsync(
            options =>
            {
                options.StepDelay = stepDelay;
                options.MaxDeployments = 1_000_000;
                options.Applications.Add(new SandboxApplication { ApplicationId = applicationId, PublicKey = publicKey });
                options.InboundSms.WebhookUrl = new Uri($"http://127.0.0.1:{apiPort}/api{InboundSmsHandler.Route}");
                options.InboundSms.SignatureSecret = webhookSecret;
            },
            cancellationToken: cancellationToken,
            configureServices: services => services.AddSingleton<IStartupFilter>(probe));

        var dataDirectory = BenchApi.NewDataDirectory("onboarding");
        var settings = onboarding.Select(s => KeyValuePair.Create("Onboarding:" + s.Key, (string?)s.Value))
            .Append(KeyValuePair.Create("Vonage:SignatureSecret", (string?)webhookSecret))
            .Append(KeyValuePair.Create("Durable:Synchronous", (string?)synchronous.ToString()));
        var builder = BenchApi.CreateBuilder($"http://127.0.0.1:{apiPort}", sandbox, applicationId, key, ApiKey, dataDirectory, settings);
        var app = builder.Build();
        var codes = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var host = default(OnboardingBenchHost);
        app.Use((context, next) => TapWebhookAsync(context, next, codes, host!.Plain));
        app.MapWabaApi();
        await app.StartAsync(cancellationToken);
        host = new OnboardingBenchHost(sandbox, app, probe, codes, dataDirectory);
        return host;
    }

    /// <summary>A number no run has used: a number keeps its deployment once READY, so each onboarding needs its own.</summary>
    public static string NextNumber()
    {
        while (true)
        {
            var n = Interlocked.Increment(ref _lastNumber);

            // Numbers ending 0001 and 0002 are the sandbox's lost-SMS scenarios.
            if (n % 10_000 is not (1 or 2))
            {
                return $"77{n:D8}";
            }
        }
    }

    /// <summary>Starts one SMS onboarding over HTTP, as a caller does, and waits for the engine to finish it.</summary>
    public async Task<OnboardingRun> RunDurableAsync(string countryCode, string number, CancellationToken cancellationToken)
    {
        var startedAt = Stopwatch.GetTimestamp();
        if (!await StartAsync(countryCode, number, "sms", cancellationToken))
        {
            return OnboardingRun.Failed(countryCode + number, startedAt);
        }

        return await CompletionAsync(countryCode, number, startedAt, 0, cancellationToken);
    }

    /// <summary>
    /// A voice onboarding whose code an operator types: once the custom status says it waits for the code, the bench
    /// reads the code from the sandbox and posts it to <c>/api/onboardings/{id}/otp</c>, so code-to-verify is the
    /// service's own latency, not the wait for a status poll.
    /// </summary>
    public async Task<OnboardingRun> RunOperatorCodeAsync(string countryCode, string number, CancellationToken cancellationToken)
    {
        var startedAt = Stopwatch.GetTimestamp();
        var instanceId = OnboardingEvents.InstanceIdFor(countryCode, number);
        if (!await StartAsync(countryCode, number, "voice", cancellationToken))
        {
            return OnboardingRun.Failed(countryCode + number, startedAt);
        }

        // Reading the status in-process (no HTTP) keeps this poll's own cost off the figures as far as possible.
        var waiting = await Testing.Poll.UntilAsync(
            async () => await Engine.GetInstanceAsync(instanceId, cancellationToken: cancellationToken) is { } instance
                && instance.ReadCustomStatusAs<OnboardingStatus>() is { Stage: OnboardingStage.WaitingForOtp, DeploymentId: { } id } ? id : null,
            "the onboarding to wait for its code",
            TimeSpan.FromMinutes(2));
        using var otp = await _sandboxClient.GetFromJsonAsync<JsonDocument>($"_sandbox/deployments/{waiting}/otp", cancellationToken);
        var codePostedAt = Stopwatch.GetTimestamp();
        using var posted = await _api.PostAsJsonAsync($"api/onboardings/{instanceId}/otp", new Dictionary<string, string?> { ["code"] = otp!.RootElement.GetProperty("code").GetString() }, cancellationToken);
        if (posted.StatusCode != HttpStatusCode.Accepted)
        {
            return OnboardingRun.Failed(countryCode + number, startedAt);
        }

        return await CompletionAsync(countryCode, number, startedAt, codePostedAt, cancellationToken);
    }

    private async Task<bool> StartAsync(string countryCode, string number, string method, CancellationToken cancellationToken)
    {
        using var response = await _api.PostAsJsonAsync("api/onboardings", new Dictionary<string, object>
        {
            ["country_code"] = countryCode,
            ["number"] = number,
            ["vname_certificate"] = Certificate,
            ["method"] = method,
            ["waba_id"] = WabaId,
            ["profile"] = new Dictionary<string, string> { ["about"] = About },
        }, cancellationToken);
        return response.StatusCode == HttpStatusCode.Accepted;
    }

    private async Task<OnboardingRun> CompletionAsync(string countryCode, string number, long startedAt, long codePostedAt, CancellationToken cancellationToken)
    {
        var done = await Engine.WaitForInstanceCompletionAsync(OnboardingEvents.InstanceIdFor(countryCode, number), getInputsAndOutputs: true, cancellationToken);
        var endedAt = Stopwatch.GetTimestamp();
        var output = done.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? done.ReadOutputAs<OnboardingOutput>() : null;
        return new(countryCode + number, output?.DeploymentId, startedAt, endedAt, output is { State: "READY", Profile.Applied: true }, codePostedAt);
    }

    /// <summary>The sandbox's own call counters: operation → status → count.</summary>
    public async Task<Dictionary<string, Dictionary<string, long>>> StatsAsync(CancellationToken cancellationToken) =>
        await _sandboxClient.GetFromJsonAsync<Dictionary<string, Dictionary<string, long>>>("_sandbox/stats", cancellationToken) ?? [];

    /// <summary>Makes the sandbox answer every Vonage call after <paramref name="milliseconds"/>, as a Vonage a network hop away does.</summary>
    public async Task SetLatencyAsync(int milliseconds, CancellationToken cancellationToken)
    {
        using var response = await _sandboxClient.PostAsJsonAsync("_sandbox/faults", new Dictionary<string, int> { ["latency_ms"] = milliseconds }, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        _sandboxClient.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Sandbox.DisposeAsync();
        BenchApi.DeleteDataDirectory(_dataDirectory);
    }

    /// <summary>
    /// Notes when each number's code reached the webhook, then lets the API handle it, or, for a plain onboarding, does
    /// the webhook's work without the engine.
    /// </summary>
    private static async Task TapWebhookAsync(HttpContext context, RequestDelegate next, ConcurrentDictionary<string, long> codes, PlainOnboardings plain)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) || request.Path != "/api" + InboundSmsHandler.Route)
        {
            await next(context);
            return;
        }

        var arrived = Stopwatch.GetTimestamp();
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var to = JsonDocument.Parse(body).RootElement.GetProperty("to").GetString()!.TrimStart('+');
        codes.TryAdd(to, arrived);
        if (plain.Owns(to))
        {
            await plain.Receive(request, body).ExecuteAsync(context);
            return;
        }

        request.Body = new MemoryStream(body);
        await next(context);
    }
}
