namespace WabaOrchestrator.Sandbox.Media;

// Skeleton: owned by the sandbox-templates work.
internal static class MediaEndpoints
{
    public static IEndpointRouteBuilder MapMediaUploads(this IEndpointRouteBuilder endpoints) => endpoints;
}
