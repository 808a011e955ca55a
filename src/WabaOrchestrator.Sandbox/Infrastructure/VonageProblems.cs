using System.Text.Json.Serialization;

namespace WabaOrchestrator.Sandbox.Infrastructure;

/// <summary>Which Vonage API an error belongs to: the two APIs shape their problem documents differently.</summary>
public enum VonageApi
{
    /// <summary>v0.1 WhatsApp Manager: <c>type</c> under whatsapp-provisioning, trace id in <c>instance</c>.</summary>
    WhatsAppManager,

    /// <summary>v2 Template Management: numeric codes under messages-olympus, trace id in <c>instance_id</c>.</summary>
    TemplateManagement,
}

public sealed record InvalidParameter(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("reason")] string Reason);

/// <summary>RFC 7807 errors in the exact shapes Vonage sends.</summary>
internal static class VonageProblems
{
    public const string ProvisioningTypeBase = "https://developer.nexmo.com/api-errors/whatsapp-provisioning#";

    // The template API documents only 1000 and 1030; they are the Messages API ("olympus") codes,
    // so its other errors use that family too (1020 invalid params, 1010 missing params).
    public const string TemplatesTypeBase = "https://developer.nexmo.com/api-errors/messages-olympus#";

    public static VonageProblemResult Create(
        VonageApi api, int status, string code, string title, string detail,
        IReadOnlyList<InvalidParameter>? invalidParameters = null, TimeSpan? retryAfter = null) =>
        new(api, status, code, title, detail, invalidParameters, retryAfter);

    public static VonageProblemResult InvalidJson(VonageApi api) => api == VonageApi.WhatsAppManager
        ? Create(api, 400, "invalid-json", "Malformed JSON", "The request body did not contain valid JSON")
        : Create(api, 400, "1020", "Invalid params", "The request body did not contain valid JSON");

    public static VonageProblemResult Unprocessable(VonageApi api, IReadOnlyList<InvalidParameter> invalidParameters, string code = "unprocessable") =>
        api == VonageApi.WhatsAppManager
            ? Create(api, 422, code, "Invalid request", "Parameters were valid JSON but something was missing or wrongly formatted", invalidParameters)
            : Create(api, 422, "1020", "Invalid params", "The value of one or more parameters is invalid.", invalidParameters);

    public static VonageProblemResult NotFound(VonageApi api, string detail) => api == VonageApi.WhatsAppManager
        ? Create(api, 404, "not-found", "Not Found", detail)
        : Create(api, 404, "1040", "Not Found", detail);

    public static VonageProblemResult Throttled(VonageApi api, TimeSpan retryAfter) => api == VonageApi.WhatsAppManager
        ? Create(api, 429, "throttled", "Too Many Requests", "Too many requests have been made on this endpoint", retryAfter: retryAfter)
        : Create(api, 429, "1000", "Throttled", "You have exceeded the submission capacity allowed on this account. Please wait and retry", retryAfter: retryAfter);

    public static VonageProblemResult ServerError(VonageApi api) => api == VonageApi.WhatsAppManager
        ? Create(api, 500, "internal-error", "Internal Server Error", "An internal error occurred.")
        : Create(api, 500, "1030", "Internal error", "There was an error processing your request in the Platform.");

    public static VonageProblemResult Unauthorized(VonageApi api, string detail) =>
        Create(api, 401, "unauthorized", "Invalid credentials supplied", detail);

    public static VonageProblemResult BadRequest(VonageApi api, int status, string detail) => api == VonageApi.WhatsAppManager
        ? Create(api, status, "bad-request", "Bad Request", detail)
        : Create(api, status, "1020", "Invalid params", detail);

    public static VonageProblemResult VerificationFailed(string detail, string reason) =>
        Create(VonageApi.WhatsAppManager, 422, "verification-failed", "Verification failed", detail, [new InvalidParameter("code", reason)]);

    public static VonageProblemResult NumberInUse(string existingDeploymentId) =>
        Create(VonageApi.WhatsAppManager, 409, "number-in-use", "Number in use",
            $"Active deployment already exists with id {existingDeploymentId}");

    public static VonageProblemResult ConflictResendOtp(string detail) =>
        Create(VonageApi.WhatsAppManager, 409, "conflict-resend-otp",
            "Could not resend OTP because the current state of the deployment did not allow it", detail);

    public static VonageProblemResult ConflictState(string detail) =>
        Create(VonageApi.WhatsAppManager, 409, "conflict-deployment-state",
            "Deployment could not be modified because it is currently in a transitional state.", detail);
}

/// <summary>Writes the problem document; the trace id is only known when the response is written.</summary>
internal sealed class VonageProblemResult(
    VonageApi api, int status, string code, string title, string detail,
    IReadOnlyList<InvalidParameter>? invalidParameters, TimeSpan? retryAfter) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => status;
    public string Code => code;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var body = new Dictionary<string, object>
        {
            ["type"] = (api == VonageApi.WhatsAppManager ? VonageProblems.ProvisioningTypeBase : VonageProblems.TemplatesTypeBase) + code,
            ["title"] = title,
            ["detail"] = detail,
            [api == VonageApi.WhatsAppManager ? "instance" : "instance_id"] = httpContext.TraceIdentifier,
        };
        if (invalidParameters is { Count: > 0 })
        {
            body["invalid_parameters"] = invalidParameters;
        }

        if (retryAfter is { } delay)
        {
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        httpContext.Response.StatusCode = status;
        return httpContext.Response.WriteAsJsonAsync(body, SandboxJson.Options, "application/problem+json", httpContext.RequestAborted);
    }
}
