using Microsoft.Extensions.Diagnostics.HealthChecks;
using WabaOrchestrator.Durable.Sqlite;

namespace WabaOrchestrator.Local.Health;

/// <summary>
/// The durable engine commits: a probe write through its dispatcher, no failing commits, every loop alive (a read
/// alone stays green on a database that can no longer be written).
/// </summary>
public sealed class EngineHealthCheck(SqliteDurableEngineHealth engine) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = await engine.CheckAsync(cancellationToken);
        return report.Healthy
            ? HealthCheckResult.Healthy(report.Description, report.Data)
            : HealthCheckResult.Unhealthy(report.Description, data: report.Data);
    }
}
