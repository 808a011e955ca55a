using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Sandbox;
using WabaOrchestrator.Vonage;
using WabaOrchestrator.Vonage.Auth;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Http;

namespace WabaOrchestrator.Bench;

/// <summary>
/// The typed Vonage client (issue 3): GET deployment through the whole client (IHttpClientFactory,
/// Polly pipeline, auth handler, problem mapping, JSON into records) next to a bare HttpClient sending
/// the same request with a pre-minted token and reading the body, against the same sandbox in the
/// same run. Rounds alternate so drift on a shared machine hits both sides alike.
/// </summary>
internal sealed class ClientBenchmark : IBenchmark
{
    private const int Concurrency = 16;
    private const int Rounds = 10;

    public string Name => "client";

    public string Description =>
        "Typed Vonage client: GET deployment/s through the full client (factory, retries, JWT, JSON records) vs raw HttpClient with a pre-minted token reading the same record, same in-process sandbox, same run.";

    public async Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        using var key = RSA.Create(2048);
        var applicationId = Guid.NewGuid().ToString();
        await using var sandbox = await SandboxHost.StartAsync(options =>
        {
            options.StepDelay = TimeSpan.FromMilliseconds(20);
            options.Applications.Add(new SandboxApplication { ApplicationId = applicationId, PublicKey = key.ExportSubjectPublicKeyInfoPem() });
        }, cancellationToken: cancellationToken);

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Vonage:BaseUrl"] = sandbox.BaseAddress.ToString(),
            ["Vonage:ApplicationId"] = applicationId,
            ["Vonage:PrivateKey"] = key.ExportPkcs8PrivateKeyPem(),
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddVonageWhatsApp(configuration).BuildServiceProvider();
        var client = services.GetRequiredService<IDeploymentsClient>();
        var deploymentId = (await client.ProvisionAsync(new ProvisionDeploymentRequest("44", "7700900001", "bench", OtpMethod.Sms, "123"), cancellationToken)).DeploymentId;

        var token = await services.GetRequiredService<IVonageTokenProvider>().GetTokenAsync(cancellationToken);
        using var raw = new HttpClient(new SocketsHttpHandler()) { BaseAddress = sandbox.BaseAddress };
        raw.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var path = $"v0.1/whatsapp-manager/deployments/{deploymentId}";

        var duration = context.Duration(TimeSpan.FromSeconds(2));
        var warmup = TimeSpan.FromMilliseconds(200);
        var rawRuns = new List<LoadResult>();
        var bytesRuns = new List<LoadResult>();
        var clientRuns = new List<LoadResult>();
        var rawCpu = TimeSpan.Zero;
        var clientCpu = TimeSpan.Zero;

        // "Raw" does the same work a hand-written call does: send with a pre-minted token and read the
        // deployment into the same record. "Bytes" stops at the body, for reference.
        Func<CancellationToken, Task<bool>> rawCall = async ct =>
        {
            using var response = await raw.GetAsync(path, ct);
            var deployment = await response.Content.ReadFromJsonAsync<Deployment>(VonageJson.Options, ct);
            return response.StatusCode == HttpStatusCode.OK && deployment?.DeploymentId == deploymentId;
        };
        Func<CancellationToken, Task<bool>> bytesCall = async ct =>
        {
            using var response = await raw.GetAsync(path, ct);
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            return response.StatusCode == HttpStatusCode.OK && body.Length > 0;
        };
        Func<CancellationToken, Task<bool>> clientCall = async ct => (await client.GetAsync(deploymentId, ct)).DeploymentId == deploymentId;

        for (var round = 0; round < Rounds; round++)
        {
            // Alternate the order so neither side always runs right after the other.
            if (round % 2 == 1)
            {
                clientRuns.Add(await MeasureAsync(clientCall, c => clientCpu += c));
            }

            rawRuns.Add(await MeasureAsync(rawCall, c => rawCpu += c));
            if (round % 2 == 0)
            {
                clientRuns.Add(await MeasureAsync(clientCall, c => clientCpu += c));
            }

            if (round % 3 == 0)
            {
                bytesRuns.Add(await MeasureAsync(bytesCall, _ => { }));
            }
        }

        async Task<LoadResult> MeasureAsync(Func<CancellationToken, Task<bool>> call, Action<TimeSpan> addCpu)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var result = await LoadRunner.RunAsync(call, Concurrency, duration, warmup, cancellationToken);
            addCpu(Process.GetCurrentProcess().TotalProcessorTime - cpu);
            return result;
        }

        // The machine is shared: each round's pair ran back to back under the same load, so the
        // median of the per-round ratios is the figure; the averages are reported beside it.
        var (rawMicros, clientMicros) = await ClientOverhead.MeasureAsync(key.ExportPkcs8PrivateKeyPem(), context.Duration(TimeSpan.FromSeconds(1)), cancellationToken);
        var rawPerSecond = rawRuns.Average(r => r.PerSecond);
        var clientPerSecond = clientRuns.Average(r => r.PerSecond);
        var ratios = rawRuns.Zip(clientRuns, (r, c) => c.PerSecond / r.PerSecond).Order().ToList();
        var ratio = (ratios[(ratios.Count - 1) / 2] + ratios[ratios.Count / 2]) / 2;
        return
        [
            new("GET deployment/s, raw HttpClient + JSON into the same record (pre-minted token)", rawPerSecond, "req/s"),
            new("GET deployment/s, raw HttpClient reading bytes only (reference)", bytesRuns.Average(r => r.PerSecond), "req/s"),
            new("GET deployment/s, typed client", clientPerSecond, "req/s"),
            new("typed client / raw HttpClient (median of per-round ratios)", ratio, "ratio", ">= 0.9", ratio >= 0.9),
            new("per-round ratio, lowest", ratios[0], "ratio"),
            new("per-round ratio, highest", ratios[^1], "ratio"),
            // Process CPU (sandbox included) per request: steadier than throughput on a busy machine.
            new("process CPU per request, raw (sandbox included)", rawCpu.TotalMicroseconds / rawRuns.Sum(r => r.Operations), "us"),
            new("process CPU per request, typed client (sandbox included)", clientCpu.TotalMicroseconds / clientRuns.Sum(r => r.Operations), "us"),
            new("in-memory transport: bare HttpClient per call", rawMicros, "us"),
            new("in-memory transport: typed client per call", clientMicros, "us"),
            new("in-memory transport: added by the typed client", clientMicros - rawMicros, "us"),
            new("typed client p50", clientRuns.Average(r => r.P50Ms), "ms"),
            new("typed client p99", clientRuns.Average(r => r.P99Ms), "ms"),
            new("raw p99", rawRuns.Average(r => r.P99Ms), "ms"),
            new("failed requests (all sides)", rawRuns.Concat(bytesRuns).Concat(clientRuns).Sum(r => r.Failures), "count", "0", rawRuns.Concat(bytesRuns).Concat(clientRuns).Sum(r => r.Failures) == 0),
        ];
    }
}
