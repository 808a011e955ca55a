using WabaOrchestrator.Durable;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Errors;

namespace WabaOrchestrator.Onboarding.Activities;

/// <summary>Deletes a deployment so the number can be onboarded again. Idempotent: gone or going counts as done.</summary>
public sealed class DeleteDeploymentActivity(IDeploymentsClient deployments) : Activity<string, bool>
{
    public override async Task<bool> RunAsync(ActivityContext context, string deploymentId)
    {
        try
        {
            await deployments.DeleteAsync(deploymentId, context.CancellationToken);
            return true;
        }
        catch (VonageApiException ex) when (ex.IsNotFound || ex.IsConflictDeploymentState)
        {
            return false;
        }
    }
}
