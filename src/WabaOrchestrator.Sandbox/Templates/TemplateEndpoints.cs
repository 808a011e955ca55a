namespace WabaOrchestrator.Sandbox.Templates;

// Skeleton: owned by the sandbox-templates work.
internal static class TemplateEndpoints
{
    public static IServiceCollection AddSandboxTemplates(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapTemplates(this IEndpointRouteBuilder endpoints) => endpoints;
}
