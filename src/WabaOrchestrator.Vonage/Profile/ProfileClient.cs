using WabaOrchestrator.Vonage.Http;
using WabaOrchestrator.Vonage.Validation;

namespace WabaOrchestrator.Vonage.Profile;

/// <summary>Business profile and photo of a READY deployment (409 <c>conflict-deployment-state</c> before that).</summary>
public interface IProfileClient
{
    Task<BusinessProfile> GetProfileAsync(string deploymentId, CancellationToken cancellationToken = default);

    /// <summary>Updates the given fields; 422 <c>unprocessable-profile-update</c> when WhatsApp refuses them.</summary>
    Task<BusinessProfile> UpdateProfileAsync(string deploymentId, BusinessProfile profile, CancellationToken cancellationToken = default);

    Task<ProfilePhoto> GetPhotoAsync(string deploymentId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the photo with the image at <paramref name="imageUrl"/> (png/jpg, 192–640 px, ≤ 5 MB).</summary>
    Task<ProfilePhoto> UpdatePhotoAsync(string deploymentId, string imageUrl, CancellationToken cancellationToken = default);
}

public sealed class ProfileClient(HttpClient http, TimeProvider time) : VonageHttp(http, time), IProfileClient
{
    public Task<BusinessProfile> GetProfileAsync(string deploymentId, CancellationToken cancellationToken = default)
    {
        VonageRules.Ensure(VonageRules.Id(VonageFields.DeploymentId, deploymentId));
        return GetAsync<BusinessProfile>(VonagePaths.Profile(deploymentId), cancellationToken);
    }

    public Task<BusinessProfile> UpdateProfileAsync(string deploymentId, BusinessProfile profile, CancellationToken cancellationToken = default)
    {
        VonageRules.Ensure([.. VonageRules.Id(VonageFields.DeploymentId, deploymentId), .. VonageRules.Profile(profile)]);
        return SendJsonAsync<BusinessProfile>(HttpMethod.Patch, VonagePaths.Profile(deploymentId), profile, cancellationToken);
    }

    public Task<ProfilePhoto> GetPhotoAsync(string deploymentId, CancellationToken cancellationToken = default)
    {
        VonageRules.Ensure(VonageRules.Id(VonageFields.DeploymentId, deploymentId));
        return GetAsync<ProfilePhoto>(VonagePaths.ProfilePhoto(deploymentId), cancellationToken);
    }

    public Task<ProfilePhoto> UpdatePhotoAsync(string deploymentId, string imageUrl, CancellationToken cancellationToken = default)
    {
        VonageRules.Ensure([.. VonageRules.Id(VonageFields.DeploymentId, deploymentId), .. VonageRules.PhotoUrl(imageUrl)]);
        return SendJsonAsync<ProfilePhoto>(HttpMethod.Post, VonagePaths.ProfilePhoto(deploymentId), new ProfilePhoto(imageUrl), cancellationToken);
    }
}
