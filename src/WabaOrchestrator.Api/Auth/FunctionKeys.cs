using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace WabaOrchestrator.Api.Auth;

// Skeleton: owned by the api-core work.
public static class FunctionKeys
{
    public static IServiceCollection AddApiAuth(this IServiceCollection services) => services;

    public static RouteGroupBuilder RequireFunctionKey(this RouteGroupBuilder group) => group;
}
