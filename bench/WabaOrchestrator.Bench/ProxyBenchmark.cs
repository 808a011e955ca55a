using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Vonage.Auth;
using WabaOrchestrator.Vonage.Templates;

namespace WabaOrchestrator.Bench;

/// <summary>
/// The template list through this API (key check, query validation, token, retries, Vonage's JSON relayed with its paging links rewritten) next to the
/// very same call straight to the sandbox, same process, run and concurrency; rounds alternate so drift hits both.
/// </summary>
internal sealed class ProxyBenchmark : IBenchmark
{
    private const int Concurrency = 16;
    private const int Rounds = 2;
    private const int Templates = 100;
    private const string Waba = "106499765517625";
    private const string Query = "?limit=25&status=APPROVED";
    private const int LatencyMs = 20;

    public string Name => "proxy";

    public string Description =>
        $"GET template list (25 of {Templates + 7}, status filter) through /api/wabas/…/templates vs straight to the sandbox, {Concurrency} concurrent, same run. "
        + $"With the sandbox answering after {LatencyMs} ms (Vonage is a network hop away, not on our cores), and co-located with no latency, where the sandbox, the proxy and "
        + "the load generator share 2 cores: there even a bare forwarder doubles the HTTP work per request, so the proxy is also held against that ceiling.";

    public async Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        await using var host = await ProxyBenchHost.StartAsync(cancellationToken);
        var token = await host.Api.Services.GetRequiredService<IVonageTokenProvider>().GetTokenAsync(cancellationToken);
        using var direct = new HttpClient(new SocketsHttpHandler()) { BaseAddress = host.Sandbox.BaseAddress };
        direct.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var proxied = new HttpClient(new SocketsHttpHandler()) { BaseAddress = host.ApiAddress };
        proxied.DefaultRequestHeaders.Add("x-functions-key", ProxyBenchHost.ApiKey);
        using var bare = new HttpClient(new SocketsHttpHandler()) { BaseAddress = host.ApiAddress };
        bare.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var directPath = $"v2/whatsapp-manager/wabas/{Waba}/templates";
        for (var i = 0; i < Templates; i++)
        {
            using var created = await direct.PostAsync(directPath, Template($"bench_{i:D4}"), cancellationToken);
            created.EnsureSuccessStatusCode();
        }

        var proxyPath = $"api/wabas/{Waba}/templates{Query}";
        await EnsureSamePageAsync(direct, directPath + Query, proxied, proxyPath, cancellationToken);

        var duration = context.Duration(TimeSpan.FromSeconds(6));
        var warmup = context.Duration(TimeSpan.FromSeconds(2));
        var templates = host.Api.Services.GetRequiredService<ITemplatesClient>();
        var query = new TemplateQuery { Limit = 25, Status = TemplateStatus.Approved };
        var barePath = "bare/" + directPath + Query;
        var straight = new List<LoadResult>();
        var through = new List<LoadResult>();
        var forwarded = new List<LoadResult>();
        var client = new List<LoadResult>();
        for (var round = 0; round < Rounds; round++)
        {
            straight.Add(await LoadRunner.RunAsync(ct => OkAsync(direct, directPath + Query, ct), Concurrency, duration, warmup, cancellationToken));
            through.Add(await LoadRunner.RunAsync(ct => OkAsync(proxied, proxyPath, ct), Concurrency, duration, warmup, cancellationToken));
            forwarded.Add(await LoadRunner.RunAsync(ct => OkAsync(bare, barePath, ct), Concurrency, duration, warmup, cancellationToken));
            client.Add(await LoadRunner.RunAsync(async ct => (await templates.ListAsync(Waba, query, ct)).Templates.Count > 0, Concurrency, duration, warmup, cancellationToken));
        }

        // Real Vonage is tens of milliseconds away, not on the same two cores: the same pair with the sandbox
        // answering after a fixed delay shows what the proxy adds when Vonage's latency, not our CPU, is the bound.
        await SetLatencyAsync(direct, LatencyMs, cancellationToken);
        var straightRemote = new List<LoadResult>();
        var throughRemote = new List<LoadResult>();
        for (var round = 0; round < Rounds; round++)
        {
            straightRemote.Add(await LoadRunner.RunAsync(ct => OkAsync(direct, directPath + Query, ct), Concurrency, duration, warmup, cancellationToken));
            throughRemote.Add(await LoadRunner.RunAsync(ct => OkAsync(proxied, proxyPath, ct), Concurrency, duration, warmup, cancellationToken));
        }

        await SetLatencyAsync(direct, 0, cancellationToken);
        var remoteRatio = throughRemote.Average(r => r.PerSecond) / straightRemote.Average(r => r.PerSecond);

        var directRate = straight.Average(r => r.PerSecond);
        var proxyRate = through.Average(r => r.PerSecond);
        var bareRate = forwarded.Average(r => r.PerSecond);
        var ratio = proxyRate / directRate;
        var ofCeiling = proxyRate / bareRate;
        var directP99 = straight.Average(r => r.P99Ms);
        var proxyP99 = through.Average(r => r.P99Ms);
        var failures = straight.Concat(through).Concat(forwarded).Concat(client).Concat(straightRemote).Concat(throughRemote).Sum(r => r.Failures);
        return
        [
            new($"with {LatencyMs} ms Vonage latency: proxy / direct throughput", remoteRatio, "ratio", ">= 0.7", remoteRatio >= 0.7),
            new($"with {LatencyMs} ms Vonage latency: straight", straightRemote.Average(r => r.PerSecond), "req/s"),
            new($"with {LatencyMs} ms Vonage latency: through the API", throughRemote.Average(r => r.PerSecond), "req/s"),
            new($"with {LatencyMs} ms Vonage latency: added p99", throughRemote.Average(r => r.P99Ms) - straightRemote.Average(r => r.P99Ms), "ms"),
            new("co-located, no latency: straight to the sandbox", directRate, "req/s"),
            new("co-located, no latency: through the API proxy", proxyRate, "req/s"),
            new("co-located, no latency: bare forwarder (Kestrel in, HttpClient out, no checks)", bareRate, "req/s"),
            new("co-located, no latency: proxy / direct throughput", ratio, "ratio"),
            new("co-located, no latency: bare forwarder / direct (the most any proxy here reaches)", bareRate / directRate, "ratio"),
            new("co-located, no latency: proxy / bare forwarder", ofCeiling, "ratio", ">= 0.7", ofCeiling >= 0.7),
            new("co-located, no latency: added p99 latency", proxyP99 - directP99, "ms"),
            new("typed Vonage client alone, in-process (no API hop)", client.Average(r => r.PerSecond), "req/s"),
            new("failed requests", failures, "count", "0", failures == 0),
        ];
    }

    // Both sides must serve the same page, or the ratio compares different work.
    private static async Task EnsureSamePageAsync(HttpClient direct, string directPath, HttpClient proxied, string proxyPath, CancellationToken cancellationToken)
    {
        static int Count(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("templates").GetArrayLength();
        var straight = await direct.GetStringAsync(directPath, cancellationToken);
        var through = await proxied.GetStringAsync(proxyPath, cancellationToken);
        if (Count(straight) != Count(through))
        {
            throw new InvalidOperationException($"The proxy served {Count(through)} templates where the sandbox served {Count(straight)}.");
        }
    }

    private static async Task SetLatencyAsync(HttpClient sandbox, int milliseconds, CancellationToken cancellationToken)
    {
        using var body = new StringContent($$"""{"latency_ms":{{milliseconds}}}""", Encoding.UTF8, "application/json");
        using var response = await sandbox.PostAsync("_sandbox/faults", body, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private static async Task<bool> OkAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(path, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.OK && body.Length > 0;
    }

    private static StringContent Template(string name) => new(
        $$$"""{"name":"{{{name}}}","language":"en","category":"UTILITY","components":[{"type":"BODY","text":"Hello {{1}}, your order {{2}} has shipped.","example":{"body_text":[["Ana","A-1"]]}}]}""",
        Encoding.UTF8, "application/json");
}
