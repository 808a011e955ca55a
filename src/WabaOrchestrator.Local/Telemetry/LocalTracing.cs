using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using WabaOrchestrator.Durable.Sqlite;

namespace WabaOrchestrator.Local.Telemetry;

/// <summary>
/// Traces of the local host: each request, the engine's orchestration and activity spans it leads to, and the
/// Vonage calls those make, in one trace per onboarding (docs/observability.md).
/// </summary>
public static class LocalTracing
{
    /// <summary>The standard OpenTelemetry setting; the OTLP exporter reads the rest (protocol, headers) itself.</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Tracing with OTLP export when <see cref="OtlpEndpointSetting"/> is set; otherwise nothing is registered, so no
    /// span is even created (the engine's source has no listener) and nothing is slowed.
    /// </summary>
    public static IServiceCollection AddLocalTracing(this IServiceCollection services, IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]))
        {
            services.AddOpenTelemetry()
                .ConfigureResource(r => r.AddService("WabaOrchestrator.Local"))
                .WithTracing(t => t.AddLocalHostInstrumentation().AddOtlpExporter());
        }

        return services;
    }

    /// <summary>What the local host traces; also what a test subscribes its in-memory exporter to.</summary>
    public static TracerProviderBuilder AddLocalHostInstrumentation(this TracerProviderBuilder tracing) => tracing
        .AddSource(DurableTelemetry.ActivitySourceName)
        .AddAspNetCoreInstrumentation()
        .AddHttpClientInstrumentation();
}
