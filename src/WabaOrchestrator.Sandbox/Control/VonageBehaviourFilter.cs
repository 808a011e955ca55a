using Microsoft.Extensions.Primitives;
using WabaOrchestrator.Sandbox.Infrastructure;

namespace WabaOrchestrator.Sandbox.Control;

/// <summary>
/// What every Vonage API endpoint does before its own logic, in Vonage's order: count the response,
/// authenticate, then apply injected latency and faults. Unexpected exceptions become the API's own
/// 500 shape instead of a framework error page.
/// </summary>
internal sealed class VonageBehaviourFilter(
    VonageTokenValidator tokens,
    FaultInjector faults,
    OperationStats stats,
    TimeProvider time,
    ILogger<VonageBehaviourFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var operation = http.GetEndpoint()?.Metadata.GetMetadata<VonageOperation>();
        var api = operation?.Api ?? VonageApi.WhatsAppManager;
        var result = await RunAsync(context, next, api);

        if (operation is not null)
        {
            // Counted before the response is written, so a client that reads /_sandbox/stats after
            // its own response always sees that response counted.
            var status = (result as IStatusCodeHttpResult)?.StatusCode ?? http.Response.StatusCode;
            stats.Record(operation.KeyFor(http.Request.Method), status);
        }

        return result;
    }

    private async ValueTask<object?> RunAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, VonageApi api)
    {
        var http = context.HttpContext;
        var authError = await AuthenticateAsync(http.Request.Headers.Authorization);
        if (authError is not null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return VonageProblems.Unauthorized(api, authError);
        }

        var fault = faults.Decide(http.Request);
        if (fault is null)
        {
            return VonageProblems.Unprocessable(api, [new InvalidParameter(FaultInjector.HeaderName, "Must be 'throttled' or 'error'.")]);
        }

        var latency = faults.Settings.LatencyMs;
        try
        {
            if (latency > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(latency), time, http.RequestAborted);
            }

            return fault switch
            {
                InjectedFault.Throttled => VonageProblems.Throttled(api, FaultInjector.RetryAfter),
                InjectedFault.Error => VonageProblems.ServerError(api),
                _ => await next(context),
            };
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            throw;
        }
        catch (BadHttpRequestException e)
        {
            return VonageProblems.BadRequest(api, e.StatusCode, e.Message);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Unhandled error in {Method} {Path}", http.Request.Method, http.Request.Path);
            return VonageProblems.ServerError(api);
        }
    }

    private ValueTask<string?> AuthenticateAsync(StringValues authorization)
    {
        const string scheme = "Bearer ";
        var header = authorization.Count == 1 ? authorization[0] : null;
        if (header is null || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || header.AsSpan(scheme.Length).IsWhiteSpace())
        {
            return ValueTask.FromResult<string?>("Send an application JWT in 'Authorization: Bearer <JWT>'.");
        }

        var token = header.AsSpan(scheme.Length).Trim();
        return tokens.TryCheckVerified(token, out var error)
            ? ValueTask.FromResult(error)
            : tokens.ValidateAsync(token.ToString());
    }
}
