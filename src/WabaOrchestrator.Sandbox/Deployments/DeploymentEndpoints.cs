namespace WabaOrchestrator.Sandbox.Deployments;

// Skeleton: owned by the sandbox-core work (deployments, OTP, profile, photo, stickers).
internal static class DeploymentEndpoints
{
    public static IServiceCollection AddSandboxDeployments(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapDeployments(this IEndpointRouteBuilder endpoints) => endpoints;
}
