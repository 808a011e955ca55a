using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using WabaOrchestrator.Vonage.Errors;
using ValidationProblem = WabaOrchestrator.Vonage.Validation.ValidationProblem;

namespace WabaOrchestrator.Api.Infrastructure;

/// <summary>
/// Every error this API answers, as RFC 7807 problem+json. Validation problems name each field in
/// <c>invalid_parameters</c> (Vonage's own shape, so callers read ours and relayed ones alike); Vonage's errors are
/// relayed with their status and body.
/// </summary>
public static class ApiProblems
{
    public const string TypeBase = "https://github.com/waba-orchestrator/problems#";

    public static ProblemHttpResult Validation(IEnumerable<ValidationProblem> problems, string detail = "One or more fields are invalid.") =>
        Problem(StatusCodes.Status422UnprocessableEntity, "validation", "The request is invalid.", detail,
            new Dictionary<string, object?> { ["invalid_parameters"] = problems.Select(p => new { name = p.Field, reason = p.Reason }).ToArray() });

    public static ProblemHttpResult Validation(string field, string reason) => Validation([new ValidationProblem(field, reason)]);

    /// <summary>400: the body is not JSON, or a field has the wrong JSON type (<paramref name="field"/> names it).</summary>
    public static ProblemHttpResult MalformedJson(string? field, string detail) =>
        Problem(StatusCodes.Status400BadRequest, "malformed-json", "The request body is not valid JSON for this operation.", detail,
            field is null ? null : new Dictionary<string, object?> { ["invalid_parameters"] = new[] { new { name = field, reason = detail } } });

    public static ProblemHttpResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, "not-found", "Not found.", detail);

    public static ProblemHttpResult Conflict(string detail, IDictionary<string, object?>? extensions = null) =>
        Problem(StatusCodes.Status409Conflict, "conflict", "Conflict.", detail, extensions);

    /// <summary>429 with <c>Retry-After</c> (whole seconds, at least 1).</summary>
    public static IResult TooManyRequests(TimeSpan retryAfter, string detail) =>
        new WithRetryAfter(Problem(StatusCodes.Status429TooManyRequests, "too-many-requests", "Too many requests.", detail), retryAfter);

    public static ProblemHttpResult Unauthorized(string detail) => Problem(StatusCodes.Status401Unauthorized, "unauthorized", "Unauthorized.", detail);

    public static ProblemHttpResult Problem(int status, string code, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(new ProblemDetails
        {
            Status = status,
            Type = TypeBase + code,
            Title = title,
            Detail = detail,
            Extensions = extensions ?? new Dictionary<string, object?>(),
        });

    /// <summary>
    /// 503 with Retry-After (whole seconds, at least 1): the durable store cannot take the request now (disk full,
    /// locked, damaged, host stopping). Nothing was changed, so the same request can simply be sent again.
    /// </summary>
    public static IResult Unavailable(string detail, TimeSpan retryAfter) =>
        new WithRetryAfter(Problem(StatusCodes.Status503ServiceUnavailable, "store-unavailable", "The service cannot store the request right now.", detail), retryAfter);

    /// <summary>Relays Vonage's error as Vonage sent it: status, problem body, and Retry-After once our retries are spent.</summary>
    public static IResult Relay(VonageApiException exception) => new RelayedVonageError(exception);

    private sealed class WithRetryAfter(ProblemHttpResult problem, TimeSpan retryAfter) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => problem.StatusCode;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return problem.ExecuteAsync(httpContext);
        }
    }

    private sealed class RelayedVonageError(VonageApiException exception) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => (int)exception.StatusCode;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = (int)exception.StatusCode;
            if (exception.RetryAfter is { } delay)
            {
                response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            if (exception.Type is null)
            {
                // Not a problem document (a gateway's page): answer one of ours, keeping Vonage's status.
                await Problem((int)exception.StatusCode, "vonage-error", "Vonage returned an error.", exception.Message).ExecuteAsync(httpContext);
                return;
            }

            response.ContentType = "application/problem+json";
            await response.WriteAsync(exception.RawBody, httpContext.RequestAborted);
        }
    }
}
