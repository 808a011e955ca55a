using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace WabaOrchestrator.Bench;

/// <summary>
/// Arrival times of the calls the latency figures need, taken at the first middleware of the in-process sandbox (so
/// before authentication and the endpoint): provisions by number, verifies by deployment id. Timestamps are
/// <see cref="Stopwatch.GetTimestamp"/> in this process, comparable with the bench's own.
/// </summary>
internal sealed class SandboxCallProbe : IStartupFilter
{
    private const string Deployments = "/v0.1/whatsapp-manager/deployments";

    public ConcurrentDictionary<string, long> Provisions { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, long> Verifies { get; } = new(StringComparer.Ordinal);

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(RecordAsync);
        next(app);
    };

    public void Clear()
    {
        Provisions.Clear();
        Verifies.Clear();
    }

    private async Task RecordAsync(HttpContext context, RequestDelegate next)
    {
        var arrived = Stopwatch.GetTimestamp();
        var request = context.Request;
        if (HttpMethods.IsPost(request.Method) && request.Path.Value is { } path)
        {
            if (path == Deployments)
            {
                // The number is only in the body: buffer it so the endpoint still reads it from the start.
                request.EnableBuffering();
                using (var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: context.RequestAborted))
                {
                    var root = body.RootElement;
                    Provisions.TryAdd(root.GetProperty("country_code").GetString() + root.GetProperty("number").GetString(), arrived);
                }

                request.Body.Position = 0;
            }
            else if (path.StartsWith(Deployments + "/", StringComparison.Ordinal) && path.EndsWith("/verify", StringComparison.Ordinal))
            {
                Verifies.TryAdd(path[(Deployments.Length + 1)..^"/verify".Length], arrived);
            }
        }

        await next(context);
    }
}
