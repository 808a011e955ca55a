using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using WabaOrchestrator.Api;
using WabaOrchestrator.Sandbox;

namespace WabaOrchestrator.Bench;

/// <summary>
/// <see cref="BenchApi"/>'s API in front of an in-process sandbox, each on its own loopback socket, plus a bare
/// forwarder as the ceiling.
/// </summary>
internal sealed class ProxyBenchHost : IAsyncDisposable
{
    public const string ApiKey = "bench-api-key-0123456789";

    private readonly string _dataDirectory;

    private ProxyBenchHost(SandboxHost sandbox, WebApplication api, string dataDirectory)
    {
        Sandbox = sandbox;
        Api = api;
        _dataDirectory = dataDirectory;
        ApiAddress = new Uri(api.Urls.First().TrimEnd('/') + "/");
    }

    public SandboxHost Sandbox { get; }

    public WebApplication Api { get; }

    public Uri ApiAddress { get; }

    public static async Task<ProxyBenchHost> StartAsync(CancellationToken cancellationToken)
    {
        using var key = RSA.Create(2048);
        var applicationId = Guid.NewGuid().ToString();
        // Options are built lazily, after this method returns: hand them the PEM text, not the key.
        var publicKey = key.ExportSubjectPublicKeyInfoPem();
        var sandbox = await SandboxHost.StartAsync(
            options => options.Applications.Add(new SandboxApplication { ApplicationId = applicationId, PublicKey = publicKey }),
            cancellationToken: cancellationToken);

        var dataDirectory = BenchApi.NewDataDirectory("proxy");
        var builder = BenchApi.CreateBuilder("http://127.0.0.1:0", sandbox, applicationId, key, ApiKey, dataDirectory);
        var api = builder.Build();
        api.MapWabaApi();
        MapBareForwarder(api, sandbox.BaseAddress);
        await api.StartAsync(cancellationToken);
        return new ProxyBenchHost(sandbox, api, dataDirectory);
    }

    /// <summary>
    /// <c>GET /bare/{path}</c>: the least any proxy on this machine can cost (Kestrel in, a pooled HttpClient out, the
    /// body copied back) with no key check, validation, token or retries: the ceiling the real proxy is held against.
    /// </summary>
    private static void MapBareForwarder(WebApplication api, Uri sandbox)
    {
        var forward = new HttpClient(new SocketsHttpHandler()) { BaseAddress = sandbox };
        api.Lifetime.ApplicationStopped.Register(forward.Dispose);
        api.MapGet("/bare/{**path}", async (string path, HttpRequest request) =>
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, path + request.QueryString);
            message.Headers.Authorization = System.Net.Http.Headers.AuthenticationHeaderValue.Parse(request.Headers.Authorization.ToString());
            using var response = await forward.SendAsync(message, request.HttpContext.RequestAborted);
            var body = await response.Content.ReadAsByteArrayAsync(request.HttpContext.RequestAborted);
            return response.IsSuccessStatusCode ? Results.Bytes(body, "application/json") : Results.StatusCode((int)response.StatusCode);
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Api.StopAsync();
        await Api.DisposeAsync();
        await Sandbox.DisposeAsync();
        BenchApi.DeleteDataDirectory(_dataDirectory);
    }
}
