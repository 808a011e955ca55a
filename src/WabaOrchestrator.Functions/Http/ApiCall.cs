using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WabaOrchestrator.Api.Infrastructure;

namespace WabaOrchestrator.Functions.Http;

/// <summary>
/// Runs an Api handler inside an HTTP trigger with the local host's error mapping (<see cref="ApiExceptions"/>), so an
/// exception is the same problem+json on both hosts instead of the Functions host's bare 500.
/// </summary>
public static class ApiCall
{
    /// <summary>
    /// As <see cref="RunAsync(HttpRequest, Func{Task{IResult}})"/>, with the body limit the local host sets through
    /// endpoint metadata (<see cref="EndpointConventions.JsonBodyLimit"/>), which the Functions worker does not read.
    /// </summary>
    public static Task<IResult> RunAsync(HttpRequest request, long maxBodyBytes, Func<Task<IResult>> handler)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBodyBytes;
        }

        return RunAsync(request, handler);
    }

    public static async Task<IResult> RunAsync(HttpRequest request, Func<Task<IResult>> handler)
    {
        try
        {
            return await handler();
        }
        catch (OperationCanceledException) when (request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; nobody reads this answer.
            return Results.Empty;
        }
        catch (Exception ex)
        {
            var result = ApiExceptions.ToResult(ex);
            if (result is IStatusCodeHttpResult { StatusCode: >= StatusCodes.Status500InternalServerError })
            {
                request.HttpContext.RequestServices.GetService<ILoggerFactory>()?.CreateLogger(typeof(ApiCall).FullName!)
                    .LogError(ex, "{Method} {Path} failed", request.Method, request.Path);
            }

            return result;
        }
    }
}
