using WabaOrchestrator.Sandbox.Control;
using WabaOrchestrator.Sandbox.Deployments;
using WabaOrchestrator.Sandbox.Media;
using WabaOrchestrator.Sandbox.Templates;

namespace WabaOrchestrator.Sandbox.Infrastructure.Persistence;

/// <summary>
/// Builds every store at start, which loads what the data directory holds: without it a store would only load on the
/// first request naming it, and deployment steps that fell due while the sandbox was down would wait for that request.
/// </summary>
internal sealed class SandboxStateResumer(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<ApplicationRegistry>();
        services.GetRequiredService<MediaUploadStore>();
        services.GetRequiredService<TemplateStore>();
        services.GetRequiredService<DeploymentStore>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
