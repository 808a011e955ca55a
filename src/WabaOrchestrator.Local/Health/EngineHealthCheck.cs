using Microsoft.Extensions.Diagnostics.HealthChecks;
using WabaOrchestrator.Durable;

namespace WabaOrchestrator.Local.Health;

/// <summary>The durable engine answers a query (its SQLite store is open and readable).</summary>
public sealed class EngineHealthCheck(IOrchestrationClient client) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await client.QueryInstancesAsync(new OrchestrationQuery { PageSize = 1 }, cancellationToken);
            return HealthCheckResult.Healthy("The durable engine answers.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The durable engine does not answer: " + e.Message);
        }
    }
}
