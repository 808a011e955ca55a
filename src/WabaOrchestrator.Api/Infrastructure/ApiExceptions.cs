using System.Text.Json;
using Microsoft.AspNetCore.Http;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Vonage.Errors;
using WabaOrchestrator.Vonage.Validation;

namespace WabaOrchestrator.Api.Infrastructure;

/// <summary>
/// The one place an exception becomes an answer, used by both hosts (the local host's exception handler, the
/// Functions worker's middleware). Anything unexpected is a 500 that names nothing internal.
/// </summary>
public static class ApiExceptions
{
    public static IResult ToResult(Exception exception) => exception switch
    {
        VonageApiException vonage => ApiProblems.Relay(vonage),
        ArgumentException argument => ApiProblems.Validation([new ValidationProblem(argument.ParamName ?? "request", FirstLine(argument.Message))]),
        BadHttpRequestException bad => ApiProblems.Problem(bad.StatusCode, "bad-request", "Bad request.", bad.Message),
        JsonException json => ApiProblems.MalformedJson(json.Path?.TrimStart('$', '.'), "The body is not valid JSON."),
        OrchestrationNotFoundException notFound => ApiProblems.NotFound(notFound.Message),
        OrchestrationNotRunningException notRunning => ApiProblems.Conflict(notRunning.Message),
        OrchestrationAlreadyExistsException exists => ApiProblems.Conflict(exists.Message),
        DurableStoreUnavailableException unavailable => ApiProblems.Unavailable(unavailable.Message, unavailable.RetryAfter),
        _ => ApiProblems.Problem(StatusCodes.Status500InternalServerError, "internal", "Internal error.", "The service failed to process the request; it has been logged."),
    };

    // ArgumentException appends " (Parameter 'x')"; the field is already named separately.
    private static string FirstLine(string message)
    {
        var index = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return index < 0 ? message : message[..index];
    }
}
