using System.Net;
using System.Text.Json;
using WabaOrchestrator.Vonage.Errors;
using WabaOrchestrator.Vonage.Profile;
using WabaOrchestrator.Vonage.Tests.Infrastructure;

namespace WabaOrchestrator.Vonage.Tests.Contract;

public sealed class ProfileContractTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private const string Profile = "/v0.1/whatsapp-manager/deployments/{deployment_id}/profile";

    [Fact]
    public async Task UpdateProfile_PatchesOnlyTheGivenFields_AndGetReturnsThem()
    {
        var ready = await sandbox.ReadyDeploymentAsync();
        var profile = new BusinessProfile(
            About: "about your business", Address: "123 main street", Description: "your business description",
            Email: "you@example.com", Vertical: ProfileVertical.BeautySpaAndSalon, Websites: ["https://example.com"]);

        var updated = await sandbox.Profile.UpdateProfileAsync(ready.DeploymentId, profile);

        Assert.Equal(HttpMethod.Patch, sandbox.Log.Last.Method);
        using (var body = JsonDocument.Parse(sandbox.Log.Last.Body!))
        {
            Assert.Equal("Beauty, Spa and Salon", body.RootElement.GetProperty("vertical").GetString());
            Assert.Equal(["about", "address", "description", "email", "vertical", "websites"], body.RootElement.EnumerateObject().Select(p => p.Name));
        }

        Assert.Equal("about your business", updated.About);
        Assert.Equal(ProfileVertical.BeautySpaAndSalon, updated.Vertical);
        var fetched = await sandbox.Profile.GetProfileAsync(ready.DeploymentId);
        Assert.Equal(profile.Email, fetched.Email);
        Assert.Equal(["https://example.com"], fetched.Websites);
        Assert.True(await sandbox.CountAsync($"PATCH {Profile}", 200) >= 1);

        await sandbox.Profile.UpdateProfileAsync(ready.DeploymentId, new BusinessProfile(About: "changed"));
        Assert.Equal("""{"about":"changed"}""", sandbox.Log.Last.Body);
        Assert.Equal("you@example.com", (await sandbox.Profile.GetProfileAsync(ready.DeploymentId)).Email);
    }

    [Fact]
    public async Task UpdatePhoto_PostsTheImageUrl_AndGetPhotoReturnsIt()
    {
        var ready = await sandbox.ReadyDeploymentAsync();

        var photo = await sandbox.Profile.UpdatePhotoAsync(ready.DeploymentId, "https://www.example.com/img.png");

        Assert.Equal("""{"image_url":"https://www.example.com/img.png"}""", sandbox.Log.Last.Body);
        Assert.Equal(HttpMethod.Post, sandbox.Log.Last.Method);
        Assert.Equal("https://www.example.com/img.png", photo.ImageUrl);
        Assert.Equal("https://www.example.com/img.png", (await sandbox.Profile.GetPhotoAsync(ready.DeploymentId)).ImageUrl);
        Assert.True(await sandbox.CountAsync($"GET {Profile}/photo", 200) >= 1);
    }

    [Fact]
    public async Task Profile_BeforeReady_ThrowsConflictDeploymentState()
    {
        var provisioned = await sandbox.Deployments.ProvisionAsync(sandbox.NewProvision());

        var error = await Assert.ThrowsAsync<VonageApiException>(() => sandbox.Profile.GetProfileAsync(provisioned.DeploymentId));

        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        Assert.True(error.IsConflictDeploymentState);
    }
}
