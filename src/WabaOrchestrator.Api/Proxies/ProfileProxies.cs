using Microsoft.AspNetCore.Http;
using WabaOrchestrator.Vonage.Http;
using WabaOrchestrator.Vonage.Profile;
using WabaOrchestrator.Vonage.Validation;

namespace WabaOrchestrator.Api.Proxies;

/// <summary>Business profile and photo of a READY deployment (Vonage answers 409 before that; relayed).</summary>
public static class ProfileProxies
{
    public static Task<IResult> Get(string id, IVonageJsonReader vonage, CancellationToken cancellationToken) =>
        ProxyCall.RelayAsync(ProxyRules.Id(VonageFields.DeploymentId, id), vonage, VonagePaths.Profile(id), cancellationToken);

    /// <summary>PATCH semantics: only the fields sent are changed.</summary>
    public static Task<IResult> Update(string id, HttpRequest request, IProfileClient profiles) =>
        ProxyCall.SendJsonAsync<BusinessProfile, BusinessProfile>(
            request, ProxyRules.Id(VonageFields.DeploymentId, id), body => VonageRules.Profile(body),
            (body, ct) => profiles.UpdateProfileAsync(id, body, ct), ProxyCall.Ok);

    public static Task<IResult> GetPhoto(string id, IVonageJsonReader vonage, CancellationToken cancellationToken) =>
        ProxyCall.RelayAsync(ProxyRules.Id(VonageFields.DeploymentId, id), vonage, VonagePaths.ProfilePhoto(id), cancellationToken);

    /// <summary><c>{"image_url": "https://…"}</c>: Vonage fetches the image itself.</summary>
    public static Task<IResult> UpdatePhoto(string id, HttpRequest request, IProfileClient profiles) =>
        ProxyCall.SendJsonAsync<ProfilePhoto, ProfilePhoto>(
            request, ProxyRules.Id(VonageFields.DeploymentId, id), body => VonageRules.PhotoUrl(body.ImageUrl),
            (body, ct) => profiles.UpdatePhotoAsync(id, body.ImageUrl, ct), ProxyCall.Ok);
}
