using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace WabaOrchestrator.Api.Infrastructure;

/// <summary>
/// The ASP.NET Core host's one error mapping: any exception becomes <see cref="ApiExceptions.ToResult"/>'s answer, and
/// a bodiless error status (no such route, wrong method) becomes problem+json too.
/// </summary>
public static class ApiErrorHandling
{
    public static IApplicationBuilder UseApiProblems(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context =>
            {
                var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
                return exception is null
                    ? Task.CompletedTask
                    : ApiExceptions.ToResult(exception).ExecuteAsync(context);
            },
        });
        app.UseStatusCodePages(context =>
        {
            var response = context.HttpContext.Response;
            var (code, title) = response.StatusCode switch
            {
                StatusCodes.Status404NotFound => ("not-found", "Not found."),
                StatusCodes.Status405MethodNotAllowed => ("method-not-allowed", "Method not allowed."),
                StatusCodes.Status413PayloadTooLarge => ("payload-too-large", "Payload too large."),
                StatusCodes.Status415UnsupportedMediaType => ("unsupported-media-type", "Unsupported media type."),
                _ => ("http-" + response.StatusCode, "Request failed."),
            };
            var detail = $"{context.HttpContext.Request.Method} {context.HttpContext.Request.Path} answered {response.StatusCode}.";
            return ApiProblems.Problem(response.StatusCode, code, title, detail).ExecuteAsync(context.HttpContext);
        });
        return app;
    }
}
