using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using WabaOrchestrator.Sandbox;

namespace WabaOrchestrator.Bench;

/// <summary>
/// The sandbox's template API under load: list pages of a 1,000-template WABA, single gets and
/// creates, next to a bare ASP.NET endpoint serving the very same list-page bytes (no auth, no
/// logic) as the ceiling, in the same process and run. Rounds alternate so machine drift hits all.
/// </summary>
internal sealed class TemplatesBenchmark : IBenchmark
{
    private const int Concurrency = 16;
    private const int Rounds = 2;
    private const string Waba = "106499765517625";

    public string Name => "templates";

    public string Description =>
        "Sandbox template API: list page (25 of 1,000) / get / create req/s vs a bare endpoint serving the same list bytes, in-process, same run.";

    public async Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        using var key = RSA.Create(2048);
        var applicationId = Guid.NewGuid().ToString();
        await using var sandbox = await SandboxHost.StartAsync(
            options =>
            {
                options.TemplateReviewDelay = TimeSpan.FromMilliseconds(10);
                options.Applications.Add(new SandboxApplication { ApplicationId = applicationId, PublicKey = key.ExportSubjectPublicKeyInfoPem() });
            },
            settings: new Dictionary<string, string?> { ["Sandbox:Templates:MaxTemplates"] = "10000000", ["Sandbox:Templates:MaxWabas"] = "1000000" },
            cancellationToken: cancellationToken);
        using var client = new HttpClient(new SocketsHttpHandler()) { BaseAddress = sandbox.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MintToken(key, applicationId));

        var listPath = $"v2/whatsapp-manager/wabas/{Waba}/templates";
        for (var i = 0; i < 1000; i++)
        {
            using var created = await client.PostAsync(listPath, Template($"bench_{i:D4}"), cancellationToken);
            created.EnsureSuccessStatusCode();
        }

        var page = await client.GetByteArrayAsync(listPath + "?limit=25", cancellationToken);
        var templateId = System.Text.Json.JsonDocument.Parse(page).RootElement.GetProperty("templates")[3].GetProperty("id").GetString();
        await using var ceiling = await StartCeilingAsync(page, cancellationToken);
        using var bare = new HttpClient(new SocketsHttpHandler()) { BaseAddress = ceiling.Address };

        var duration = context.Duration(TimeSpan.FromSeconds(6));
        var warmup = context.Duration(TimeSpan.FromSeconds(2));
        var runs = new Dictionary<string, List<LoadResult>> { ["ceiling"] = [], ["list"] = [], ["get"] = [], ["create"] = [] };
        var sequence = 0;
        for (var round = 0; round < Rounds; round++)
        {
            runs["ceiling"].Add(await LoadRunner.RunAsync(ct => OkAsync(bare, "page", ct), Concurrency, duration, warmup, cancellationToken));
            runs["list"].Add(await LoadRunner.RunAsync(ct => OkAsync(client, listPath + "?limit=25", ct), Concurrency, duration, warmup, cancellationToken));
            runs["get"].Add(await LoadRunner.RunAsync(ct => OkAsync(client, $"{listPath}/{templateId}", ct), Concurrency, duration, warmup, cancellationToken));
            runs["create"].Add(await LoadRunner.RunAsync(
                async ct =>
                {
                    // A fresh WABA every 5,000 creates keeps each WABA under its template cap.
                    var n = Interlocked.Increment(ref sequence);
                    using var response = await client.PostAsync($"v2/whatsapp-manager/wabas/load{n / 5000}/templates", Template($"load_{n}"), ct);
                    return response.StatusCode == HttpStatusCode.OK;
                },
                Concurrency, duration, warmup, cancellationToken));
        }

        double PerSecond(string name) => runs[name].Average(r => r.PerSecond);
        var ratio = PerSecond("list") / PerSecond("ceiling");
        var failures = runs.Values.SelectMany(r => r).Sum(r => r.Failures);
        return
        [
            new("bare endpoint, same list-page bytes (ceiling)", PerSecond("ceiling"), "req/s"),
            new("GET template list, 25 of 1,000", PerSecond("list"), "req/s"),
            new("list / ceiling", ratio, "ratio", ">= 0.5", ratio >= 0.5),
            new("list p99", runs["list"].Average(r => r.P99Ms), "ms"),
            new("GET one template", PerSecond("get"), "req/s"),
            new("POST create template", PerSecond("create"), "req/s"),
            new("create p99", runs["create"].Average(r => r.P99Ms), "ms"),
            new("failed requests", failures, "count", "0", failures == 0),
        ];
    }

    private static async Task<bool> OkAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(path, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.OK && body.Length > 0;
    }

    private static StringContent Template(string name) => new(
        $$$"""{"name":"{{{name}}}","language":"en","category":"UTILITY","components":[{"type":"BODY","text":"Hello {{1}}, your order {{2}} has shipped.","example":{"body_text":[["Ana","A-1"]]}},{"type":"FOOTER","text":"Thanks"}]}""",
        Encoding.UTF8, "application/json");

    private static string MintToken(RSA key, string applicationId)
    {
        var now = DateTimeOffset.UtcNow;
        var payload = new JwtPayload
        {
            ["application_id"] = applicationId,
            ["jti"] = Guid.NewGuid().ToString(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
        };
        var credentials = new SigningCredentials(new RsaSecurityKey(key), SecurityAlgorithms.RsaSha256);
        return new JwtSecurityTokenHandler().WriteToken(new JwtSecurityToken(new JwtHeader(credentials), payload));
    }

    private static async Task<Ceiling> StartCeilingAsync(byte[] body, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapGet("/page", () => Results.Bytes(body, "application/json"));
        await app.StartAsync(cancellationToken);
        return new Ceiling(app, new Uri(app.Urls.First().TrimEnd('/') + "/"));
    }

    private sealed record Ceiling(WebApplication App, Uri Address) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}
