using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WabaOrchestrator.Api.Infrastructure;

namespace WabaOrchestrator.Api.Proxies;

/// <summary>
/// Routes of every Vonage operation the API fronts (the onboarding workflow's own provision and verify excepted).
/// The handlers live in the area classes so the Functions host can bind the same methods to its triggers.
/// </summary>
public static class ProxyEndpoints
{
    public static IEndpointRouteBuilder MapDeploymentProxies(this IEndpointRouteBuilder endpoints)
    {
        var deployment = endpoints.MapGroup("/deployments/{id}").WithTags("Deployments");
        deployment.MapGet("", DeploymentProxies.Get);
        deployment.MapDelete("", DeploymentProxies.Delete);
        deployment.MapPost("/resend-otp", DeploymentProxies.ResendOtp).ProducesJsonBodyErrors();

        deployment.MapGet("/profile", ProfileProxies.Get);
        deployment.MapPatch("/profile", ProfileProxies.Update).ProducesJsonBodyErrors();
        deployment.MapGet("/profile/photo", ProfileProxies.GetPhoto);
        deployment.MapPost("/profile/photo", ProfileProxies.UpdatePhoto).ProducesJsonBodyErrors();

        deployment.MapGet("/stickerpacks", StickerProxies.ListPacks);
        deployment.MapPost("/stickerpacks", StickerProxies.CreatePack).ProducesJsonBodyErrors();
        deployment.MapGet("/stickerpacks/{sid}", StickerProxies.GetPack);
        deployment.MapGet("/stickerpacks/{sid}/stickers", StickerProxies.ListStickers);
        deployment.MapPost("/stickerpacks/{sid}/stickers", StickerProxies.CreateSticker).ProducesJsonBodyErrors();
        deployment.MapGet("/stickerpacks/{sid}/stickers/{index}", StickerProxies.GetSticker);
        deployment.MapDelete("/stickerpacks/{sid}/stickers/{index}", StickerProxies.DeleteSticker);
        return endpoints;
    }

    public static IEndpointRouteBuilder MapTemplateProxies(this IEndpointRouteBuilder endpoints)
    {
        var templates = endpoints.MapGroup("/wabas/{wabaId}/templates").WithTags("Templates");
        templates.MapGet("", TemplateProxies.List);
        templates.MapPost("", TemplateProxies.Create).ProducesJsonBodyErrors();
        templates.MapDelete("", TemplateProxies.Delete);
        templates.MapGet("/{templateId}", TemplateProxies.Get);
        templates.MapPut("/{templateId}", TemplateProxies.Update).ProducesJsonBodyErrors();
        return endpoints;
    }

    public static IEndpointRouteBuilder MapMediaProxies(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/media/uploads", MediaProxies.Upload).WithTags("Media").DisableAntiforgery();
        return endpoints;
    }
}
