using Microsoft.AspNetCore.Routing;

namespace WabaOrchestrator.Api.Onboardings;

// Skeleton: owned by the api-core work.
public static class OnboardingEndpoints
{
    public static IEndpointRouteBuilder MapOnboardings(this IEndpointRouteBuilder endpoints) => endpoints;
}
