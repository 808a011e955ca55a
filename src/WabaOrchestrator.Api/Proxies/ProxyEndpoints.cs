using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WabaOrchestrator.Api.Infrastructure;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Media;
using WabaOrchestrator.Vonage.Profile;
using WabaOrchestrator.Vonage.Stickers;
using WabaOrchestrator.Vonage.Templates;

namespace WabaOrchestrator.Api.Proxies;

/// <summary>
/// Routes of every Vonage operation the API fronts (the onboarding workflow's own provision and verify excepted).
/// The handlers live in the area classes so the Functions host can bind the same methods to its triggers; they read
/// their bodies themselves, so the bodies and answers are declared here for the OpenAPI document.
/// </summary>
public static class ProxyEndpoints
{
    private const string Json = "application/json";

    public static IEndpointRouteBuilder MapDeploymentProxies(this IEndpointRouteBuilder endpoints)
    {
        var deployment = endpoints.MapGroup("/deployments/{id}").WithTags("Deployments");
        deployment.MapGet("", DeploymentProxies.Get);
        deployment.MapDelete("", DeploymentProxies.Delete).Produces(StatusCodes.Status204NoContent);
        deployment.MapPost("/resend-otp", DeploymentProxies.ResendOtp)
            .Accepts<ResendOtpRequest>(isOptional: true, Json)
            .Produces<ResendOtpResult>(StatusCodes.Status202Accepted)
            .ProducesJsonBodyErrors();

        deployment.MapGet("/profile", ProfileProxies.Get);
        deployment.MapPatch("/profile", ProfileProxies.Update)
            .Accepts<BusinessProfile>(Json)
            .Produces<BusinessProfile>()
            .ProducesJsonBodyErrors();
        deployment.MapGet("/profile/photo", ProfileProxies.GetPhoto);
        deployment.MapPost("/profile/photo", ProfileProxies.UpdatePhoto)
            .Accepts<ProfilePhoto>(Json)
            .Produces<ProfilePhoto>()
            .ProducesJsonBodyErrors();

        deployment.MapGet("/stickerpacks", StickerProxies.ListPacks);
        deployment.MapPost("/stickerpacks", StickerProxies.CreatePack)
            .Accepts<CreateStickerpackRequest>(Json)
            .Produces<StickerpackList>()
            .ProducesJsonBodyErrors();
        deployment.MapGet("/stickerpacks/{sid}", StickerProxies.GetPack);
        deployment.MapGet("/stickerpacks/{sid}/stickers", StickerProxies.ListStickers);
        deployment.MapPost("/stickerpacks/{sid}/stickers", StickerProxies.CreateSticker)
            .Accepts<StickerProxies.StickerBody>(Json)
            .Produces<StickerList>()
            .ProducesJsonBodyErrors();
        deployment.MapGet("/stickerpacks/{sid}/stickers/{index}", StickerProxies.GetSticker);
        deployment.MapDelete("/stickerpacks/{sid}/stickers/{index}", StickerProxies.DeleteSticker).Produces<StickerList>();
        return endpoints;
    }

    public static IEndpointRouteBuilder MapTemplateProxies(this IEndpointRouteBuilder endpoints)
    {
        var templates = endpoints.MapGroup("/wabas/{wabaId}/templates").WithTags("Templates");
        templates.MapGet("", TemplateProxies.List);
        templates.MapPost("", TemplateProxies.Create)
            .Accepts<TemplateDefinition>(Json)
            .Produces<CreatedTemplate>()
            .ProducesJsonBodyErrors();
        templates.MapDelete("", TemplateProxies.Delete).Produces(StatusCodes.Status204NoContent);
        templates.MapGet("/{templateId}", TemplateProxies.Get);
        templates.MapPut("/{templateId}", TemplateProxies.Update)
            .Accepts<TemplateDefinition>(Json)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesJsonBodyErrors();
        return endpoints;
    }

    public static IEndpointRouteBuilder MapMediaProxies(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/media/uploads", MediaProxies.Upload).WithTags("Media").DisableAntiforgery()
            .WithSummary("Uploads one file (?file_type=) streamed to Vonage: multipart/form-data with the file in a part named mediafile.")
            .Produces<MediaUploadResult>()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return endpoints;
    }
}
