using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WabaOrchestrator.Api.Infrastructure;
using WabaOrchestrator.Api.Proxies;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Http;
using WabaOrchestrator.Vonage.Profile;
using WabaOrchestrator.Vonage.Stickers;

namespace WabaOrchestrator.Functions.Http;

/// <summary>The deployment, profile and sticker proxies of <see cref="ProxyEndpoints.MapDeploymentProxies"/>.</summary>
public sealed class DeploymentTriggers(IVonageJsonReader vonage, IDeploymentsClient deployments, IProfileClient profiles, IStickersClient stickers)
{
    private const string Deployment = "deployments/{id}";

    [Function("GetDeployment")]
    public Task<IResult> Get([HttpTrigger(AuthorizationLevel.Function, "get", Route = Deployment)] HttpRequest request, string id) =>
        ApiCall.RunAsync(request, () => DeploymentProxies.Get(id, vonage, request.HttpContext.RequestAborted));

    [Function("DeleteDeployment")]
    public Task<IResult> Delete([HttpTrigger(AuthorizationLevel.Function, "delete", Route = Deployment)] HttpRequest request, string id) =>
        ApiCall.RunAsync(request, () => DeploymentProxies.Delete(id, deployments, request.HttpContext.RequestAborted));

    [Function("ResendOtp")]
    public Task<IResult> ResendOtp([HttpTrigger(AuthorizationLevel.Function, "post", Route = Deployment + "/resend-otp")] HttpRequest request, string id) =>
        ApiCall.RunAsync(request, EndpointConventions.JsonBodyLimit, () => DeploymentProxies.ResendOtp(id, request, deployments));

    [Function("GetProfile")]
    public Task<IResult> GetProfile([HttpTrigger(AuthorizationLevel.Function, "get", Route = Deployment + "/profile")] HttpRequest request, string id) =>
        ApiCall.RunAsync(request, () => ProfileProxies.Get(id, vonage, request.HttpContext.RequestAborted));

    [Function("UpdateProfile")]
    public Task<IResult> UpdateProfile([HttpTrigger(AuthorizationLevel.Function, "patch", Route = Deployment + "/profile")] HttpRequest request, string id) =>
        ApiCall.RunAsync(request, EndpointConventions.JsonBodyLimit, () => ProfileProxies.Update(id, request, profiles));

    [Function("GetProfilePhoto")]
    public Task<IResult> GetPhoto([HttpTrigger(AuthorizationLevel.Function, "get", Route = Deployment + "/profile/photo")] HttpRequest request, string id) =>
        ApiCall.RunAsync(request, () => ProfileProxies.GetPhoto(id, vonage, request.HttpContext.RequestAborted));

    [Function("UpdateProfilePhoto")]
    public Task<IResult> UpdatePhoto([HttpTrigger(AuthorizationLevel.Function, "post", Route = Deployment + "/profile/photo")] HttpRequest request, string id) =>
        ApiCall.RunAsync(request, EndpointConventions.JsonBodyLimit, () => ProfileProxies.UpdatePhoto(id, request, profiles));

    [Function("ListStickerPacks")]
    public Task<IResult> ListPacks([HttpTrigger(AuthorizationLevel.Function, "get", Route = Deployment + "/stickerpacks")] HttpRequest request, string id) =>
        ApiCall.RunAsync(request, () => StickerProxies.ListPacks(id, request, vonage));

    [Function("CreateStickerPack")]
    public Task<IResult> CreatePack([HttpTrigger(AuthorizationLevel.Function, "post", Route = Deployment + "/stickerpacks")] HttpRequest request, string id) =>
        ApiCall.RunAsync(request, EndpointConventions.JsonBodyLimit, () => StickerProxies.CreatePack(id, request, stickers));

    [Function("GetStickerPack")]
    public Task<IResult> GetPack([HttpTrigger(AuthorizationLevel.Function, "get", Route = Deployment + "/stickerpacks/{sid}")] HttpRequest request, string id, string sid) =>
        ApiCall.RunAsync(request, () => StickerProxies.GetPack(id, sid, vonage, request.HttpContext.RequestAborted));

    [Function("ListStickers")]
    public Task<IResult> ListStickers([HttpTrigger(AuthorizationLevel.Function, "get", Route = Deployment + "/stickerpacks/{sid}/stickers")] HttpRequest request, string id, string sid) =>
        ApiCall.RunAsync(request, () => StickerProxies.ListStickers(id, sid, vonage, request.HttpContext.RequestAborted));

    [Function("CreateSticker")]
    public Task<IResult> CreateSticker([HttpTrigger(AuthorizationLevel.Function, "post", Route = Deployment + "/stickerpacks/{sid}/stickers")] HttpRequest request, string id, string sid) =>
        ApiCall.RunAsync(request, EndpointConventions.JsonBodyLimit, () => StickerProxies.CreateSticker(id, sid, request, stickers));

    [Function("GetSticker")]
    public Task<IResult> GetSticker([HttpTrigger(AuthorizationLevel.Function, "get", Route = Deployment + "/stickerpacks/{sid}/stickers/{index}")] HttpRequest request, string id, string sid, string index) =>
        ApiCall.RunAsync(request, () => StickerProxies.GetSticker(id, sid, index, vonage, request.HttpContext.RequestAborted));

    [Function("DeleteSticker")]
    public Task<IResult> DeleteSticker([HttpTrigger(AuthorizationLevel.Function, "delete", Route = Deployment + "/stickerpacks/{sid}/stickers/{index}")] HttpRequest request, string id, string sid, string index) =>
        ApiCall.RunAsync(request, () => StickerProxies.DeleteSticker(id, sid, index, stickers, request.HttpContext.RequestAborted));
}
