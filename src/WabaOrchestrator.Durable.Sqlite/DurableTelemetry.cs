using System.Diagnostics;

namespace WabaOrchestrator.Durable.Sqlite;

/// <summary>
/// The engine's spans: <c>orchestration:&lt;Name&gt;</c> per episode that runs orchestrator code (never for a replay)
/// and <c>activity:&lt;Name&gt;</c> per activity execution, all in the trace of the call that scheduled the instance.
/// Names and tags follow Durable Functions' distributed tracing so both hosts read alike. Tags carry ids only: inputs
/// and outputs hold pins, certificates and codes.
/// </summary>
public static class DurableTelemetry
{
    /// <summary>The <see cref="ActivitySource"/> name to subscribe to (<c>AddSource</c>).</summary>
    public const string ActivitySourceName = "WabaOrchestrator.Durable";

    internal static readonly ActivitySource Source = new(ActivitySourceName);

    /// <summary>
    /// A span of the instance's trace (<paramref name="parent"/>, W3C); no cost when nobody listens. A
    /// <paramref name="link"/> names a call of another trace that caused this step (an event raised by a webhook).
    /// </summary>
    internal static Activity? Start(string type, string name, string instanceId, string executionId, string? parent, int? taskId = null, string? link = null)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        // System.Diagnostics.ActivityContext: WabaOrchestrator.Durable has an ActivityContext of its own.
        _ = System.Diagnostics.ActivityContext.TryParse(parent, null, out var parentContext);
        ActivityLink[]? links = System.Diagnostics.ActivityContext.TryParse(link, null, out var linked) && linked.TraceId != parentContext.TraceId ? [new ActivityLink(linked)] : null;
        var span = Source.StartActivity(ActivityKind.Server, parentContext, links: links, name: $"{type}:{name}");
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag("durabletask.type", type);
            span.SetTag("durabletask.task.name", name);
            span.SetTag("durabletask.task.instance_id", instanceId);
            span.SetTag("durabletask.task.execution_id", executionId);
            if (taskId is { } id)
            {
                span.SetTag("durabletask.task.task_id", id);
            }
        }

        return span;
    }

    /// <summary>
    /// The W3C traceparent of the ambient span, stored with what it schedules so later work joins its trace. Only a
    /// recorded span: ASP.NET Core makes an unsampled one per request even with tracing off, and a stored unsampled
    /// parent would keep the instance out of the trace once tracing is turned on.
    /// </summary>
    internal static string? CurrentParent() => Activity.Current is { IdFormat: ActivityIdFormat.W3C, Recorded: true } current ? current.Id : null;

    internal static void Fail(Activity? span, Exception error)
    {
        // The exception type only: messages may quote inputs.
        span?.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
    }
}
