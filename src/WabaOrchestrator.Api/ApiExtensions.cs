using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WabaOrchestrator.Api.Auth;
using WabaOrchestrator.Api.Onboardings;
using WabaOrchestrator.Api.Proxies;
using WabaOrchestrator.Api.Webhooks;

namespace WabaOrchestrator.Api;

public static class ApiExtensions
{
    /// <summary>Registers the API's options (<c>Auth:*</c>, <c>Webhooks:*</c>, <c>Proxies:*</c>, <c>Onboarding:OtpSubmissions:*</c>) and services. The host adds the durable engine, onboarding and the Vonage client.</summary>
    public static IServiceCollection AddWabaApi(this IServiceCollection services) =>
        services.AddWabaApiHandlers().AddApiAuth();

    /// <summary>
    /// What the handlers need (<c>Webhooks:*</c>, <c>Proxies:*</c>, problem details) without this API's own key check:
    /// the Functions host lets the platform check function keys.
    /// </summary>
    public static IServiceCollection AddWabaApiHandlers(this IServiceCollection services)
    {
        services.AddProblemDetails();
        // Keys (?code=) and GET webhook texts (OTPs) travel in query strings: no log may show them.
        services.AddRequestLogRedaction();
        services.AddWebhooks();
        services.AddApiProxies();
        services.AddOptions<OtpSubmissionOptions>().BindConfiguration(OtpSubmissionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<OtpSubmissionLimiter>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>
    /// Maps every route under <c>/api</c>: the inbound-SMS webhook is anonymous (signature-verified); every other route
    /// needs a key (<c>x-functions-key</c>; <c>?code=</c> only with <c>Auth:AllowQueryKey</c>). The Functions host maps the same handlers to HTTP triggers
    /// and lets the platform check keys.
    /// </summary>
    public static IEndpointRouteBuilder MapWabaApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api");
        api.MapWebhooks();
        var keyed = api.MapGroup("").RequireFunctionKey();
        keyed.MapOnboardings();
        keyed.MapDeploymentProxies();
        keyed.MapTemplateProxies();
        keyed.MapMediaProxies();
        return endpoints;
    }
}
