using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WabaOrchestrator.Testing;
using WabaOrchestrator.Testing.Processes;

namespace WabaOrchestrator.Bench;

/// <summary>
/// GET deployment throughput of the sandbox running as its own process (the built sandbox dll),
/// next to a minimal ASP.NET Core endpoint serving a same-sized JSON document (this program
/// re-launched in the <see cref="SandboxCeilingServer"/> server mode) as the
/// ceiling. Load comes from this process over keep-alive connections; both servers are measured
/// alternately in the same run and the ratio is reported.
/// </summary>
internal sealed class SandboxBenchmark : IBenchmark
{
    private const int Concurrency = 32;
    private const int Rounds = 2;
    private const double TargetRatio = 0.6;

    public string Name => "sandbox";

    public string Description =>
        $"GET /v0.1/whatsapp-manager/deployments/{{id}} on the sandbox process vs a minimal ASP.NET Core endpoint process " +
        $"({Concurrency} keep-alive connections, {Rounds} alternating rounds each); target ratio >= {TargetRatio}.";

    public async Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        using var key = RSA.Create(2048);
        var applicationId = Guid.NewGuid().ToString();
        var sandboxPort = LoopbackPort.Free();
        var baselinePort = LoopbackPort.Free();
        var workingDirectory = AppContext.BaseDirectory;
        Dictionary<string, string?> server = new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
            ["DOTNET_gcServer"] = "1",
        };

        await using var sandbox = ServiceProcess.Start(
            "WabaOrchestrator.Sandbox", ["--urls", $"http://127.0.0.1:{sandboxPort.ToString(CultureInfo.InvariantCulture)}"],
            new Dictionary<string, string?>(server)
            {
                ["Sandbox__StepDelay"] = "00:00:00.010",
                ["Sandbox__Applications__0__ApplicationId"] = applicationId,
                ["Sandbox__Applications__0__PublicKey"] = key.ExportSubjectPublicKeyInfoPem(),
            },
            workingDirectory);
        await using var baseline = ServiceProcess.Start(
            "WabaOrchestrator.Bench", [SandboxCeilingServer.Argument, baselinePort.ToString(CultureInfo.InvariantCulture)], server, workingDirectory);

        using var client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        });
        client.Timeout = TimeSpan.FromSeconds(30);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MintToken(key, applicationId));
        var sandboxRoot = new Uri($"http://127.0.0.1:{sandboxPort}/");
        var baselineRoot = new Uri($"http://127.0.0.1:{baselinePort}/");
        await WaitUntilUpAsync(client, new Uri(sandboxRoot, "_sandbox/stats"), sandbox);
        await WaitUntilUpAsync(client, new Uri(baselineRoot, "health"), baseline);

        var deploymentId = await ProvisionAsync(client, sandboxRoot, cancellationToken);
        var sandboxUrl = new Uri(sandboxRoot, $"v0.1/whatsapp-manager/deployments/{deploymentId}");
        var baselineUrl = new Uri(baselineRoot, $"v0.1/whatsapp-manager/deployments/{deploymentId}");

        var duration = context.Duration(TimeSpan.FromSeconds(8));
        var warmup = context.Duration(TimeSpan.FromSeconds(3));
        var sandboxRuns = new List<LoadResult>();
        var baselineRuns = new List<LoadResult>();
        for (var round = 0; round < Rounds; round++)
        {
            sandboxRuns.Add(await LoadRunner.RunAsync(ct => GetAsync(client, sandboxUrl, ct), Concurrency, duration, warmup, cancellationToken));
            baselineRuns.Add(await LoadRunner.RunAsync(ct => GetAsync(client, baselineUrl, ct), Concurrency, duration, warmup, cancellationToken));
        }

        var sandboxRate = sandboxRuns.Average(r => r.PerSecond);
        var baselineRate = baselineRuns.Average(r => r.PerSecond);
        var ratio = sandboxRate / baselineRate;
        return
        [
            new("sandbox GET deployment", sandboxRate, "req/s"),
            new("minimal ASP.NET Core endpoint (ceiling)", baselineRate, "req/s"),
            new("sandbox / ceiling", ratio, "ratio", $">= {TargetRatio}", ratio >= TargetRatio),
            new("sandbox p50 latency", sandboxRuns.Average(r => r.P50Ms), "ms"),
            new("sandbox p99 latency", sandboxRuns.Average(r => r.P99Ms), "ms"),
            new("ceiling p99 latency", baselineRuns.Average(r => r.P99Ms), "ms"),
            new("failed requests", sandboxRuns.Sum(r => r.Failures) + baselineRuns.Sum(r => r.Failures), "count", "0", sandboxRuns.Sum(r => r.Failures) + baselineRuns.Sum(r => r.Failures) == 0),
        ];
    }

    private static async Task<bool> GetAsync(HttpClient client, Uri url, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return response.StatusCode == HttpStatusCode.OK;
    }

    private static async Task<string> ProvisionAsync(HttpClient client, Uri sandboxRoot, CancellationToken cancellationToken)
    {
        using var response = await client.PostAsJsonAsync(new Uri(sandboxRoot, "v0.1/whatsapp-manager/deployments"), new Dictionary<string, string>
        {
            ["country_code"] = "44",
            ["number"] = "7700900123",
            ["vname_certificate"] = "AbCdEFGHiJK123456",
            ["method"] = "sms",
            ["waba_id"] = "123456789123",
        }, cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return body.GetProperty("deployment_id").GetString()!;
    }

    /// <summary>A token valid for the whole run, as a Vonage SDK would mint it.</summary>
    private static string MintToken(RSA key, string applicationId)
    {
        var now = DateTimeOffset.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object>
            {
                ["application_id"] = applicationId,
                ["jti"] = Guid.NewGuid().ToString(),
            },
            IssuedAt = now.UtcDateTime,
            Expires = now.AddHours(1).UtcDateTime,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key), SecurityAlgorithms.RsaSha256),
        });
    }

    private static Task WaitUntilUpAsync(HttpClient client, Uri url, ServiceProcess process) =>
        Poll.UntilAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{url.Authority} exited before it was up.\n{process.Output}");
                }

                try
                {
                    using var response = await client.GetAsync(url);
                    return response.IsSuccessStatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            },
            $"{url} to come up",
            TimeSpan.FromSeconds(60));
}
