using Microsoft.AspNetCore.Http;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Http;
using WabaOrchestrator.Vonage.Validation;

namespace WabaOrchestrator.Api.Proxies;

/// <summary>A deployment and its OTP resend. Provision and verify belong to the onboarding workflow, not here.</summary>
public static class DeploymentProxies
{
    public static Task<IResult> Get(string id, IVonageJsonReader vonage, CancellationToken cancellationToken) =>
        ProxyCall.RelayAsync(ProxyRules.Id(VonageFields.DeploymentId, id), vonage, VonagePaths.Deployment(id), cancellationToken);

    public static Task<IResult> Delete(string id, IDeploymentsClient deployments, CancellationToken cancellationToken) =>
        ProxyCall.SendAsync(ProxyRules.Id(VonageFields.DeploymentId, id), ct => deployments.DeleteAsync(id, ct), ProxyCall.NoContent, cancellationToken);

    /// <summary>An empty body keeps the deployment's method; <c>{"method": "voice"}</c> switches it.</summary>
    public static async Task<IResult> ResendOtp(string id, HttpRequest request, IDeploymentsClient deployments)
    {
        var idProblems = ProxyRules.Id(VonageFields.DeploymentId, id);
        if (idProblems.Count == 0 && request.ContentLength is null or 0 && !request.Headers.TransferEncoding.Any())
        {
            return await ProxyCall.SendAsync(idProblems, ct => deployments.ResendOtpAsync(id, null, ct), ProxyCall.Accepted, request.HttpContext.RequestAborted);
        }

        return await ProxyCall.SendJsonAsync<ResendOtpRequest, ResendOtpResult>(
            request, idProblems, body => VonageRules.OptionalOtpMethod(body.Method),
            (body, ct) => deployments.ResendOtpAsync(id, body.Method, ct), ProxyCall.Accepted);
    }
}
