using Microsoft.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace WabaOrchestrator.Api.Tests.Proxies;

/// <summary>
/// Stands in for Vonage's media endpoint where the sandbox cannot: the sandbox enforces Meta's 5/16 MB limits with no
/// option to raise them, and the streaming proof needs a 50 MB upload to arrive whole. It drains the <c>mediafile</c>
/// part as it arrives (never holding it), counts the bytes and answers Vonage's <c>{"h": …}</c> shape.
/// </summary>
public sealed class UploadSink : IAsyncDisposable
{
    private readonly WebApplication _app;

    private UploadSink(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public long LastFileBytes { get; private set; }

    public static async Task<UploadSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        UploadSink? sink = null;
        app.MapPost("/v2/whatsapp-manager/media/uploads", async (HttpRequest request) =>
        {
            var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(request.ContentType).Boundary).Value!;
            var reader = new MultipartReader(boundary, request.Body);
            long total = 0;
            var buffer = new byte[81920];
            while (await reader.ReadNextSectionAsync() is { } section)
            {
                int read;
                while ((read = await section.Body.ReadAsync(buffer)) > 0)
                {
                    total += read;
                }
            }

            sink!.LastFileBytes = total;
            return Results.Json(new { h = $"sink:{total}" });
        });
        await app.StartAsync();
        sink = new UploadSink(app, new Uri(app.Urls.First().TrimEnd('/') + "/"));
        return sink;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
