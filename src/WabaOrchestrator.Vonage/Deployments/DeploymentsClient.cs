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
    internal const string Root = "v0.1/whatsapp-manager/deployments";

    public Task<Deployment> ProvisionAsync(ProvisionDeploymentRequest request, CancellationToken cancellationToken = default)
    {
        VonageRules.Ensure(VonageRules.Provision(request));
        return SendJsonAsync<Deployment>(HttpMethod.Post, Root, request, cancellationToken);
    }

    public Task<Deployment> GetAsync(string deploymentId, CancellationToken cancellationToken = default)
    {
        VonageRules.Ensure(VonageRules.Id(VonageFields.DeploymentId, deploymentId));
        return GetAsync<Deployment>(PathOf(deploymentId), cancellationToken);
    }

    public Task DeleteAsync(string deploymentId, CancellationToken cancellationToken = default)
    {
        VonageRules.Ensure(VonageRules.Id(VonageFields.DeploymentId, deploymentId));
        return SendAsync(HttpMethod.Delete, PathOf(deploymentId), content: null, cancellationToken);
    }

    public Task<ResendOtpResult> ResendOtpAsync(string deploymentId, OtpMethod? method = null, CancellationToken cancellationToken = default)
    {
        VonageRules.Ensure([.. VonageRules.Id(VonageFields.DeploymentId, deploymentId), .. VonageRules.OptionalOtpMethod(method)]);
        return SendJsonAsync<ResendOtpResult>(HttpMethod.Post, PathOf(deploymentId) + "/resend-otp", new ResendOtpRequest(method), cancellationToken);
    }

    public Task<VerifyOtpResult> VerifyOtpAsync(string deploymentId, string code, CancellationToken cancellationToken = default)
    {
        VonageRules.Ensure([.. VonageRules.Id(VonageFields.DeploymentId, deploymentId), .. VonageRules.OtpCode(code)]);
        return SendJsonAsync<VerifyOtpResult>(HttpMethod.Post, PathOf(deploymentId) + "/verify", new VerifyOtpRequest(code), cancellationToken);
    }

    internal static string PathOf(string deploymentId) => $"{Root}/{Segment(deploymentId)}";
}
