using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WabaOrchestrator.Local.Health;

/// <summary>
/// Vonage (or the embedded sandbox) is reachable: any HTTP answer counts, since an unauthenticated probe of the API
/// root is refused by design. Only a transport failure or a timeout is unhealthy.
/// </summary>
public sealed class VonageHealthCheck(IHttpClientFactory clients, VonageTarget target) : IHealthCheck
{
    public const string HttpClientName = "WabaOrchestrator.Local.Health";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var probe = target.EmbeddedSandbox ? new Uri(target.BaseUrl, "_sandbox/stats") : target.BaseUrl;
        var data = new Dictionary<string, object> { ["url"] = probe.AbsoluteUri, ["sandbox"] = target.EmbeddedSandbox };
        try
        {
            using var response = await clients.CreateClient(HttpClientName).GetAsync(probe, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            data["status"] = (int)response.StatusCode;
            return HealthCheckResult.Healthy(target.EmbeddedSandbox ? "The embedded sandbox answers." : "Vonage answers.", data);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy((target.EmbeddedSandbox ? "The embedded sandbox" : "Vonage") + " is unreachable: " + e.Message, data: data);
        }
    }
}
