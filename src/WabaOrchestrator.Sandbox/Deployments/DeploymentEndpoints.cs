using Microsoft.AspNetCore.Mvc;
using WabaOrchestrator.Sandbox.Deployments.Otp;
using WabaOrchestrator.Sandbox.Infrastructure;

namespace WabaOrchestrator.Sandbox.Deployments;

/// <summary>The v0.1 WhatsApp Manager API: deployments, OTP, profile, photo, stickerpacks and stickers.</summary>
internal static class DeploymentEndpoints
{
    public const string Root = "/v0.1/whatsapp-manager/deployments";

    private const VonageApi Api = VonageApi.WhatsAppManager;

    /// <summary>What WhatsApp shows as the verified name in resend-otp answers.</summary>
    private const string SandboxVname = "Sandbox Business";

    public static IServiceCollection AddSandboxDeployments(this IServiceCollection services)
    {
        services.AddResettable<InboundSmsDelivery>();
        services.AddHostedService(sp => sp.GetRequiredService<InboundSmsDelivery>());
        services.AddHttpClient(InboundSmsDelivery.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddResettable<DeploymentStore>();
        return services;
    }

    public static IEndpointRouteBuilder MapDeployments(this IEndpointRouteBuilder endpoints)
    {
        var deployments = endpoints.MapGroup(Root);
        deployments.MapPost("", Provision);
        deployments.MapGet("/{deployment_id}", Get);
        deployments.MapDelete("/{deployment_id}", Delete);
        deployments.MapPost("/{deployment_id}/resend-otp", ResendOtp);
        deployments.MapPost("/{deployment_id}/verify", Verify);
        deployments.MapProfile();
        deployments.MapStickers();
        return endpoints;
    }

    private static async Task<IResult> Provision(HttpRequest request, DeploymentStore store)
    {
        var (body, problem) = await SandboxJson.ReadObjectAsync(request, Api);
        if (problem is not null)
        {
            return problem;
        }

        var (provision, errors) = DeploymentRequests.ReadProvision(body!);
        if (provision is null)
        {
            return DeploymentAccess.Invalid(errors);
        }

        var (created, existingId) = store.Create(provision);
        if (created is null)
        {
            return VonageProblems.NumberInUse(existingId!);
        }

        lock (created.Gate)
        {
            return SandboxJson.Result(created.Snapshot(), StatusCodes.Status202Accepted);
        }
    }

    private static IResult Get([FromRoute(Name = "deployment_id")] string id, DeploymentStore store)
    {
        if (!store.TryGet(id, out var deployment))
        {
            return DeploymentAccess.NotFound(id);
        }

        lock (deployment.Gate)
        {
            return SandboxJson.Result(deployment.Snapshot());
        }
    }

    private static IResult Delete([FromRoute(Name = "deployment_id")] string id, DeploymentStore store) =>
        !store.TryGet(id, out var deployment) ? DeploymentAccess.NotFound(id)
        : store.Delete(deployment) ?? Results.NoContent();

    private static async Task<IResult> ResendOtp([FromRoute(Name = "deployment_id")] string id, HttpRequest request, DeploymentStore store)
    {
        if (!store.TryGet(id, out var deployment))
        {
            return DeploymentAccess.NotFound(id);
        }

        var (body, problem) = await SandboxJson.ReadOptionalObjectAsync(request, Api);
        if (problem is not null)
        {
            return problem;
        }

        var (method, errors) = DeploymentRequests.ReadResend(body!);
        if (errors.Count > 0)
        {
            return DeploymentAccess.Invalid(errors);
        }

        var (conflict, usedMethod) = store.Resend(deployment, method);
        return conflict ?? SandboxJson.Result(new ResendOtpResponse("Code sent", SandboxVname, usedMethod), StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> Verify([FromRoute(Name = "deployment_id")] string id, HttpRequest request, DeploymentStore store)
    {
        if (!store.TryGet(id, out var deployment))
        {
            return DeploymentAccess.NotFound(id);
        }

        var (body, problem) = await SandboxJson.ReadObjectAsync(request, Api);
        if (problem is not null)
        {
            return problem;
        }

        var (code, errors) = DeploymentRequests.ReadVerify(body!);
        if (code is null)
        {
            return DeploymentAccess.Invalid(errors);
        }

        return store.Verify(deployment, code)
            ?? SandboxJson.Result(new VerifyResponse(id, "Deployment was Created"), StatusCodes.Status201Created);
    }

    private sealed record ResendOtpResponse(string Message, string Vname, string Method);

    private sealed record VerifyResponse(string DeploymentId, string Status);
}
