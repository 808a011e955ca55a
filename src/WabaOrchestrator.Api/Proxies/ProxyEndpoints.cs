using Microsoft.AspNetCore.Routing;

namespace WabaOrchestrator.Api.Proxies;

// Skeleton: owned by the api-proxies work (one file per area replaces this).
public static class ProxyEndpoints
{
    public static IEndpointRouteBuilder MapDeploymentProxies(this IEndpointRouteBuilder endpoints) => endpoints;

    public static IEndpointRouteBuilder MapTemplateProxies(this IEndpointRouteBuilder endpoints) => endpoints;

    public static IEndpointRouteBuilder MapMediaProxies(this IEndpointRouteBuilder endpoints) => endpoints;
}
