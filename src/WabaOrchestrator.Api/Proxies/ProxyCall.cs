using System.Text.Json;
using Microsoft.AspNetCore.Http;
using WabaOrchestrator.Api.Infrastructure;
using WabaOrchestrator.Vonage.Errors;
using WabaOrchestrator.Vonage.Http;
using WabaOrchestrator.Vonage.Validation;

namespace WabaOrchestrator.Api.Proxies;

/// <summary>
/// The one shape every proxy handler has: check the input with the client's rules (422 naming every field, and
/// Vonage is not called), call the typed client, answer its result in Vonage's JSON, and turn any failure into an
/// answer. Vonage's errors are relayed as Vonage sent them; a Vonage-side failure that produced no answer (unreachable,
/// timed out, unreadable body) is a 502/504 naming Vonage, never a 500 of ours.
/// </summary>
public static class ProxyCall
{
    public static async Task<IResult> SendAsync<T>(IReadOnlyList<ValidationProblem> problems, Func<CancellationToken, Task<T>> call, Func<T, IResult> answer, CancellationToken cancellationToken)
    {
        if (problems.Count > 0)
        {
            return ApiProblems.Validation(problems);
        }

        try
        {
            return answer(await call(cancellationToken));
        }
        catch (Exception exception) when (ToResult(exception, cancellationToken) is { } result)
        {
            return result;
        }
    }

    /// <summary>For operations Vonage answers without a body (204 deletes and updates).</summary>
    public static Task<IResult> SendAsync(IReadOnlyList<ValidationProblem> problems, Func<CancellationToken, Task> call, IResult answer, CancellationToken cancellationToken) =>
        SendAsync(problems, async ct => { await call(ct); return answer; }, static result => result, cancellationToken);

    /// <summary>Reads the JSON body (400 naming the field when it is malformed), validates it with the ids, then sends.</summary>
    public static async Task<IResult> SendJsonAsync<TBody, T>(
        HttpRequest request, IReadOnlyList<ValidationProblem> idProblems, Func<TBody, IReadOnlyList<ValidationProblem>> validate,
        Func<TBody, CancellationToken, Task<T>> call, Func<T, IResult> answer)
        where TBody : class
    {
        // A bad path id is answered before the body is read: the body may be large and is irrelevant then.
        if (idProblems.Count > 0)
        {
            return ApiProblems.Validation(idProblems);
        }

        var (body, problem) = await ApiJson.ReadAsync<TBody>(request);
        if (problem is not null)
        {
            return problem;
        }

        return await SendAsync(validate(body!), ct => call(body!, ct), answer, request.HttpContext.RequestAborted);
    }

    /// <summary>Vonage's JSON (its own snake_case names, nulls left out) with the status Vonage uses for the operation.</summary>
    public static IResult Json<T>(T value, int statusCode = StatusCodes.Status200OK) =>
        Results.Json(value, VonageJson.Options, contentType: "application/json", statusCode: statusCode);

    public static IResult Ok<T>(T value) => Json(value);

    /// <summary>Vonage's own JSON, relayed as it came (see <see cref="IVonageJsonReader"/>).</summary>
    public static IResult Relay(ReadOnlyMemory<byte> vonageJson) => TypedResults.Bytes(vonageJson, "application/json");

    /// <summary>A Vonage resource relayed as Vonage sent it, once the ids are valid.</summary>
    public static Task<IResult> RelayAsync(IReadOnlyList<ValidationProblem> problems, IVonageJsonReader vonage, string path, CancellationToken cancellationToken) =>
        SendAsync(problems, ct => vonage.GetAsync(path, ct), Relay, cancellationToken);

    public static IResult Accepted<T>(T value) => Json(value, StatusCodes.Status202Accepted);

    public static readonly IResult NoContent = Results.NoContent();

    /// <summary>Null for the caller's own cancellation (the connection is gone; nothing to answer).</summary>
    internal static IResult? ToResult(Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        // A failure while reading the caller's upload surfaces wrapped in the HttpClient's exception: it is the
        // caller's problem (too large, malformed, cut off), not Vonage's.
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case ProxyBodyException body:
                    return body.Problem;
                case BadHttpRequestException bad:
                    return ApiExceptions.ToResult(bad);
            }
        }

        return exception switch
        {
            VonageApiException vonage => ApiProblems.Relay(vonage),
            ArgumentException argument => ApiExceptions.ToResult(argument),
            TimeoutException => VonageFailure(StatusCodes.Status504GatewayTimeout, "vonage-timeout", "Vonage did not answer in time."),
            HttpRequestException => VonageFailure(StatusCodes.Status502BadGateway, "vonage-unreachable", "Vonage could not be reached."),
            JsonException or InvalidOperationException or NotSupportedException =>
                VonageFailure(StatusCodes.Status502BadGateway, "vonage-bad-response", "Vonage answered with a body this service cannot read."),
            _ => null,
        };
    }

    private static IResult VonageFailure(int status, string code, string detail) =>
        ApiProblems.Problem(status, code, "Vonage failed.", detail);
}
