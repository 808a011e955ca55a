namespace WabaOrchestrator.Sandbox.Control;

// Skeleton: owned by the sandbox-core work (auth, stats, faults, reset, applications).
internal static class ControlEndpoints
{
    public static IServiceCollection AddSandboxControl(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapSandboxControl(this IEndpointRouteBuilder endpoints) => endpoints;

    /// <summary>Auth, fault injection and per-operation statistics for every Vonage API endpoint.</summary>
    public static RouteGroupBuilder WithVonageBehaviour(this RouteGroupBuilder group) => group;
}
