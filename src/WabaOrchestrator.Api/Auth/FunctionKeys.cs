using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WabaOrchestrator.Api.Infrastructure;

namespace WabaOrchestrator.Api.Auth;

/// <summary>Settings under <c>Auth:*</c>: the keys callers present, as Azure Functions keys are presented.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary><c>Auth:Keys:0</c>, <c>Auth:Keys:1</c>, …; several so a key can be rotated without downtime.</summary>
    public List<string> Keys { get; set; } = [];

    /// <summary>
    /// Also take the key from the <c>code</c> query parameter. Off: a key in a URL lands in request logs, browser
    /// history and proxies. Only the Functions platform needs <c>?code=</c> (its own key check, not this one).
    /// </summary>
    public bool AllowQueryKey { get; set; }
}

/// <summary>
/// The Azure Functions key convention on the local host: a key in the <c>x-functions-key</c> header (the <c>code</c>
/// query parameter only with <c>Auth:AllowQueryKey</c>). Keys are compared in constant time (as SHA-256 digests, so neither the length nor the
/// first differing byte of a key leaks through timing).
/// </summary>
public static class FunctionKeys
{
    public const string HeaderName = "x-functions-key";
    public const string QueryName = "code";

    public static IServiceCollection AddApiAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .Validate(o => o.Keys.Count > 0 && o.Keys.All(k => k.Length >= 16),
                "Set at least one API key in Auth:Keys:0 (16 characters or more); the local host generates one on first run.")
            .ValidateOnStart();
        services.AddSingleton<ApiKeyVerifier>();
        return services;
    }

    /// <summary>
    /// Every endpoint of <paramref name="group"/> answers 401 without a valid key; the metadata lets the OpenAPI document
    /// say so (security requirement and 401) for exactly these endpoints.
    /// </summary>
    public static RouteGroupBuilder RequireFunctionKey(this RouteGroupBuilder group)
    {
        group.WithMetadata(FunctionKeyRequired.Instance).ProducesProblem(StatusCodes.Status401Unauthorized);
        group.AddEndpointFilter(async (context, next) =>
            context.HttpContext.RequestServices.GetRequiredService<ApiKeyVerifier>().IsAuthorized(context.HttpContext.Request)
                ? await next(context)
                : ApiProblems.Unauthorized($"Send a valid API key in the '{HeaderName}' header."));
        return group;
    }
}

/// <summary>Endpoint metadata: the endpoint needs a function key (<see cref="FunctionKeys"/>).</summary>
public sealed class FunctionKeyRequired
{
    public static readonly FunctionKeyRequired Instance = new();

    private FunctionKeyRequired()
    {
    }
}

/// <summary>Checks a request's key against <c>Auth:Keys</c>; shared by the endpoint filter and any host that needs it.</summary>
public sealed class ApiKeyVerifier(IOptions<AuthOptions> options)
{
    private readonly byte[][] _digests = options.Value.Keys.Where(k => !string.IsNullOrEmpty(k)).Select(Digest).ToArray();
    private readonly bool _allowQueryKey = options.Value.AllowQueryKey;

    public bool IsAuthorized(HttpRequest request)
    {
        var presented = request.Headers[FunctionKeys.HeaderName].FirstOrDefault()
            ?? (_allowQueryKey ? request.Query[FunctionKeys.QueryName].FirstOrDefault() : null);
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        var digest = Digest(presented);
        var match = false;
        foreach (var key in _digests)
        {
            // No early exit: every configured key is compared whichever matches.
            match |= CryptographicOperations.FixedTimeEquals(digest, key);
        }

        return match;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
