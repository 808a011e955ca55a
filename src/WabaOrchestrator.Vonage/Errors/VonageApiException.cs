using System.Net;
using System.Text.RegularExpressions;

namespace WabaOrchestrator.Vonage.Errors;

/// <summary>
/// Any non-2xx answer from Vonage, with the RFC 7807 fields parsed when the body has them (a proxy's
/// HTML error page still produces this exception, with <see cref="Code"/> null and the page in
/// <see cref="RawBody"/>).
/// </summary>
public sealed partial class VonageApiException : Exception
{
    public VonageApiException(
        HttpStatusCode statusCode, string? type, string? title, string? detail, string? instance,
        IReadOnlyList<VonageInvalidParameter> invalidParameters, TimeSpan? retryAfter, string rawBody,
        HttpMethod? method = null, Uri? requestUri = null)
        : base(BuildMessage(statusCode, type, title, detail, method, requestUri))
    {
        StatusCode = statusCode;
        Type = type;
        Code = CodeOf(type);
        Title = title;
        Detail = detail;
        Instance = instance;
        InvalidParameters = invalidParameters;
        RetryAfter = retryAfter;
        RawBody = rawBody;
        Method = method;
        RequestUri = requestUri;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>The problem <c>type</c> URI, e.g. <c>https://developer.nexmo.com/api-errors/whatsapp-provisioning#number-in-use</c>.</summary>
    public string? Type { get; }

    /// <summary>The fragment of <see cref="Type"/>: <c>number-in-use</c>, <c>throttled</c>, <c>1000</c>…</summary>
    public string? Code { get; }

    public string? Title { get; }

    public string? Detail { get; }

    /// <summary>The trace id: <c>instance</c> on v0.1, <c>instance_id</c> on the template API.</summary>
    public string? Instance { get; }

    public IReadOnlyList<VonageInvalidParameter> InvalidParameters { get; }

    /// <summary>The <c>Retry-After</c> header, as a delay from when the response arrived.</summary>
    public TimeSpan? RetryAfter { get; }

    public string RawBody { get; }

    public HttpMethod? Method { get; }

    public Uri? RequestUri { get; }

    public bool IsNumberInUse => Code == VonageErrorCodes.NumberInUse;

    public bool IsVerificationFailed => Code == VonageErrorCodes.VerificationFailed;

    public bool IsThrottled => StatusCode == HttpStatusCode.TooManyRequests || Code is VonageErrorCodes.Throttled or VonageErrorCodes.TemplateThrottled;

    public bool IsConflict => StatusCode == HttpStatusCode.Conflict;

    public bool IsConflictDeploymentState => Code == VonageErrorCodes.ConflictDeploymentState;

    public bool IsConflictResendOtp => Code == VonageErrorCodes.ConflictResendOtp;

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    public bool IsUnauthorized => StatusCode == HttpStatusCode.Unauthorized;

    /// <summary>422, including <c>unprocessable-profile-update</c> and the template API's validation codes.</summary>
    public bool IsUnprocessable => StatusCode == HttpStatusCode.UnprocessableEntity;

    /// <summary>Worth trying again later: throttling or a server-side failure.</summary>
    public bool IsTransient => IsThrottled || (int)StatusCode >= 500;

    /// <summary>
    /// For <c>number-in-use</c>, the deployment that already holds the number, parsed from
    /// "Active deployment already exists with id &lt;id&gt;"; adopting it makes a retried provision idempotent.
    /// </summary>
    public string? ExistingDeploymentId =>
        IsNumberInUse && Detail is not null && ExistingDeploymentPattern().Match(Detail) is { Success: true } match
            ? match.Groups["id"].Value
            : null;

    private static string? CodeOf(string? type)
    {
        if (string.IsNullOrWhiteSpace(type))
        {
            return null;
        }

        var hash = type.LastIndexOf('#');
        if (hash >= 0)
        {
            return type[(hash + 1)..];
        }

        // Some gateways send a bare code or a path ending in it.
        var slash = type.TrimEnd('/').LastIndexOf('/');
        return slash >= 0 ? type.TrimEnd('/')[(slash + 1)..] : type;
    }

    private static string BuildMessage(HttpStatusCode status, string? type, string? title, string? detail, HttpMethod? method, Uri? uri)
    {
        var code = CodeOf(type);
        var where = method is null ? "" : $"{method} {uri?.AbsolutePath} ";
        var what = string.Join(": ", new[] { title, detail }.Where(s => !string.IsNullOrWhiteSpace(s)));
        return $"Vonage {where}returned {(int)status} {status}{(code is null ? "" : $" ({code})")}{(what.Length == 0 ? "." : $": {what}")}";
    }

    [GeneratedRegex(@"with id\s+(?<id>[A-Za-z0-9][A-Za-z0-9\-_]*)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ExistingDeploymentPattern();
}
