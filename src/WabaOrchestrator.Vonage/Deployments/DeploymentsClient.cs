using WabaOrchestrator.Vonage.Http;
using WabaOrchestrator.Vonage.Validation;

namespace WabaOrchestrator.Vonage.Deployments;

/// <summary>Deployments and OTP (WhatsApp Manager v0.1).</summary>
public interface IDeploymentsClient
{
    /// <summary>Starts provisioning a number (202). <c>number-in-use</c> names the existing deployment on the exception.</summary>
    Task<Deployment> ProvisionAsync(ProvisionDeploymentRequest request, CancellationToken cancellationToken = default);

    Task<Deployment> GetAsync(string deploymentId, CancellationToken cancellationToken = default);

    /// <summary>Deletes a deployment (204); 409 <c>conflict-deployment-state</c> while it is already DELETING.</summary>
    Task DeleteAsync(string deploymentId, CancellationToken cancellationToken = default);

    /// <summary>Sends a new code, invalidating the previous one (202).</summary>
    Task<ResendOtpResult> ResendOtpAsync(string deploymentId, OtpMethod? method = null, CancellationToken cancellationToken = default);

    /// <summary>Submits a code (201); a wrong one is 422 <c>verification-failed</c>.</summary>
    Task<VerifyOtpResult> VerifyOtpAsync(string deploymentId, string code, CancellationToken cancellationToken = default);
}

public sealed class DeploymentsClient(HttpClient http, TimeProvider time) : VonageHttp(http, time), IDeploymentsClient
{
    public Task<Deployment> ProvisionAsync(ProvisionDeploymentRequest request, CancellationToken cancellationToken = default)
    {
        VonageRules.Ensure(VonageRules.Provision(request));
        return SendJsonAsync<Deployment>(HttpMethod.Post, VonagePaths.Deployments, request, cancellationToken);
    }

    public Task<Deployment> GetAsync(string deploymentId, CancellationToken cancellationToken = default)
    {
        VonageRules.Ensure(VonageRules.Id(VonageFields.DeploymentId, deploymentId));
        return GetAsync<Deployment>(VonagePaths.Deployment(deploymentId), cancellationToken);
    }

    public Task DeleteAsync(string deploymentId, CancellationToken cancellationToken = default)
    {
        VonageRules.Ensure(VonageRules.Id(VonageFields.DeploymentId, deploymentId));
        return SendAsync(HttpMethod.Delete, VonagePaths.Deployment(deploymentId), content: null, cancellationToken);
    }

    public Task<ResendOtpResult> ResendOtpAsync(string deploymentId, OtpMethod? method = null, CancellationToken cancellationToken = default)
    {
        VonageRules.Ensure([.. VonageRules.Id(VonageFields.DeploymentId, deploymentId), .. VonageRules.OptionalOtpMethod(method)]);
        return SendJsonAsync<ResendOtpResult>(HttpMethod.Post, VonagePaths.Deployment(deploymentId) + "/resend-otp", new ResendOtpRequest(method), cancellationToken);
    }

    public Task<VerifyOtpResult> VerifyOtpAsync(string deploymentId, string code, CancellationToken cancellationToken = default)
    {
        VonageRules.Ensure([.. VonageRules.Id(VonageFields.DeploymentId, deploymentId), .. VonageRules.OtpCode(code)]);
        return SendJsonAsync<VerifyOtpResult>(HttpMethod.Post, VonagePaths.Deployment(deploymentId) + "/verify", new VerifyOtpRequest(code), cancellationToken);
    }
}
