using Microsoft.Extensions.Logging;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Onboarding.Secrets;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Errors;

namespace WabaOrchestrator.Onboarding.Activities;

/// <summary>
/// Provisions the number. A retry after a crash (the POST may have been processed) meets <c>number-in-use</c>, which
/// names the active deployment: adopting it keeps provisioning idempotent.
/// </summary>
public sealed class ProvisionDeploymentActivity(IDeploymentsClient deployments, ISecretProtector secrets, ILogger<ProvisionDeploymentActivity> logger)
    : Activity<ProvisionDeploymentInput, ProvisionDeploymentResult>
{
    public override async Task<ProvisionDeploymentResult> RunAsync(ActivityContext context, ProvisionDeploymentInput input)
    {
        var request = new ProvisionDeploymentRequest(
            input.CountryCode,
            input.Number,
            secrets.Unprotect(input.ProtectedVnameCertificate, SecretPurposes.VnameCertificate),
            input.Method,
            input.WabaId,
            input.ProtectedPin is null ? null : secrets.Unprotect(input.ProtectedPin, SecretPurposes.Pin));
        try
        {
            var created = await deployments.ProvisionAsync(request, context.CancellationToken);
            return new(ProvisionOutcome.Created, DeploymentSnapshot.From(created), null);
        }
        catch (VonageApiException ex) when (ex.ExistingDeploymentId is { } existingId)
        {
            logger.LogInformation("Number {CountryCode}{Number} already has active deployment {DeploymentId}; adopting it", input.CountryCode, input.Number, existingId);
            var existing = await deployments.GetAsync(existingId, context.CancellationToken);
            return new(ProvisionOutcome.Adopted, DeploymentSnapshot.From(existing), ex.Detail, ex.Reply());
        }
        catch (VonageApiException ex) when (ex.IsUnprocessable || ex.IsConflict)
        {
            return new(ProvisionOutcome.Rejected, null, ex.Describe(), ex.Reply());
        }
    }
}
