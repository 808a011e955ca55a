using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace WabaOrchestrator.Api.Webhooks;

// Skeleton: owned by the api-core work.
public static class WebhookEndpoints
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder endpoints) => endpoints;
}
