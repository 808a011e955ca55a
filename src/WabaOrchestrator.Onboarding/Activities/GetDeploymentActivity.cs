using WabaOrchestrator.Durable;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Errors;

namespace WabaOrchestrator.Onboarding.Activities;

/// <summary>Reads a deployment's state; null when Vonage no longer knows it.</summary>
public sealed class GetDeploymentActivity(IDeploymentsClient deployments) : Activity<string, DeploymentSnapshot?>
{
    public override async Task<DeploymentSnapshot?> RunAsync(ActivityContext context, string deploymentId)
    {
        try
        {
            return DeploymentSnapshot.From(await deployments.GetAsync(deploymentId, context.CancellationToken));
        }
        catch (VonageApiException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }
}
