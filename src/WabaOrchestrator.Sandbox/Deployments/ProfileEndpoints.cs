using Microsoft.AspNetCore.Mvc;
using WabaOrchestrator.Sandbox.Infrastructure;

namespace WabaOrchestrator.Sandbox.Deployments;

/// <summary>Business profile and photo of a READY deployment.</summary>
internal static class ProfileEndpoints
{
    public static RouteGroupBuilder MapProfile(this RouteGroupBuilder deployments)
    {
        deployments.MapGet("/{deployment_id}/profile", GetProfile);
        deployments.MapPatch("/{deployment_id}/profile", UpdateProfile);
        deployments.MapGet("/{deployment_id}/profile/photo", GetPhoto);
        deployments.MapPost("/{deployment_id}/profile/photo", UpdatePhoto);
        return deployments;
    }

    private static IResult GetProfile([FromRoute(Name = "deployment_id")] string id, DeploymentStore store) =>
        DeploymentAccess.WhenReady(store, id, deployment => SandboxJson.Result(deployment.Profile));

    private static Task<IResult> UpdateProfile([FromRoute(Name = "deployment_id")] string id, HttpRequest request, DeploymentStore store) =>
        DeploymentAccess.WhenReadyWithBody(store, id, request, (deployment, body) =>
        {
            var (profile, errors) = ProfileRequests.ReadPatch(body, deployment.Profile);
            if (profile is null)
            {
                return DeploymentAccess.Invalid(errors, "unprocessable-profile-update");
            }

            deployment.Profile = profile;
            store.Save(deployment);
            return SandboxJson.Result(profile);
        });

    private static IResult GetPhoto([FromRoute(Name = "deployment_id")] string id, DeploymentStore store) =>
        DeploymentAccess.WhenReady(store, id, deployment => SandboxJson.Result(new PhotoResponse(deployment.PhotoUrl)));

    private static Task<IResult> UpdatePhoto([FromRoute(Name = "deployment_id")] string id, HttpRequest request, DeploymentStore store) =>
        DeploymentAccess.WhenReadyWithBody(store, id, request, (deployment, body) =>
        {
            var (url, errors) = ProfileRequests.ReadPhoto(body);
            if (url is null)
            {
                return DeploymentAccess.Invalid(errors);
            }

            deployment.PhotoUrl = url;
            store.Save(deployment);
            return SandboxJson.Result(new PhotoResponse(url));
        });

    private sealed record PhotoResponse(string ImageUrl);
}
