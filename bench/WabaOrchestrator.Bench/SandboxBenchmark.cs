using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

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
        var sandboxPort = FreePort();
        var baselinePort = FreePort();

        using var sandbox = StartServer(
            Path.Combine(AppContext.BaseDirectory, "WabaOrchestrator.Sandbox.dll"), sandboxPort, new Dictionary<string, string>
            {
                ["Sandbox__StepDelay"] = "00:00:00.010",
                ["Sandbox__Applications__0__ApplicationId"] = applicationId,
                ["Sandbox__Applications__0__PublicKey"] = key.ExportSubjectPublicKeyInfoPem(),
            });
        using var baseline = StartServer(
            Path.Combine(AppContext.BaseDirectory, "WabaOrchestrator.Bench.dll"), baselinePort, [],
            arguments: [SandboxCeilingServer.Argument, baselinePort.ToString(CultureInfo.InvariantCulture)]);
        try
        {
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
            await WaitUntilUpAsync(client, new Uri(sandboxRoot, "_sandbox/stats"), sandbox.Process, cancellationToken);
            await WaitUntilUpAsync(client, new Uri(baselineRoot, "health"), baseline.Process, cancellationToken);

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
        finally
        {
            sandbox.Stop();
            baseline.Stop();
        }
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static ServerProcess StartServer(string dll, int port, Dictionary<string, string> environment, string[]? arguments = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments ?? ["--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["DOTNET_gcServer"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dll}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"[{Path.GetFileNameWithoutExtension(dll)}] {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServerProcess(process);
    }

    private static async Task WaitUntilUpAsync(HttpClient client, Uri url, Process process, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{url.Authority} exited with code {process.ExitCode} before it was up.");
            }

            try
            {
                using var response = await client.GetAsync(url, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"{url} did not come up within 60 s.");
            }

            await poll.WaitForNextTickAsync(cancellationToken);
        }
    }

    /// <summary>A child server process, stopped (by its own id) when the benchmark ends.</summary>
    private sealed class ServerProcess(Process process) : IDisposable
    {
        public Process Process => process;

        public void Stop()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }

        public void Dispose() => process.Dispose();
    }
}
