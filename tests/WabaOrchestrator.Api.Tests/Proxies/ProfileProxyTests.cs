using System.Net;
using static WabaOrchestrator.Api.Tests.Proxies.ProxyAssert;

namespace WabaOrchestrator.Api.Tests.Proxies;

public sealed class ProfileProxyTests(ProxyStack stack) : IClassFixture<ProxyStack>
{
    [Fact]
    public async Task Patch_ThenGet_ReturnsTheUpdatedProfile()
    {
        var id = await stack.ReadyDeploymentAsync();

        var updated = await JsonAsync(await stack.Api.PatchAsync($"api/deployments/{id}/profile",
            Json(new { about = "We sell shoes", email = "shop@example.com", websites = new[] { "https://example.com" }, vertical = "Shopping and Retail" })));
        var read = await JsonAsync(await stack.Api.GetAsync($"api/deployments/{id}/profile"));

        Assert.Equal("We sell shoes", updated.GetProperty("about").GetString());
        Assert.Equal("shop@example.com", read.GetProperty("email").GetString());
        Assert.Equal("Shopping and Retail", read.GetProperty("vertical").GetString());
        Assert.Equal("https://example.com", read.GetProperty("websites")[0].GetString());
    }

    [Fact]
    public async Task Patch_InvalidFields_Is422NamingEachWithoutCallingVonage()
    {
        var before = await stack.VonageCallsAsync();

        await ProblemAsync(
            await stack.Api.PatchAsync("api/deployments/any-id/profile",
                Json(new { about = new string('x', 140), email = "not-an-email", websites = new[] { "ftp://example.com" }, vertical = "Spaceships" })),
            HttpStatusCode.UnprocessableEntity, "about", "email", "websites[0]", "vertical");

        Assert.Equal(before, await stack.VonageCallsAsync());
    }

    [Fact]
    public async Task Patch_MalformedJson_Is400()
    {
        var before = await stack.VonageCallsAsync();

        await ProblemAsync(await stack.Api.PatchAsync("api/deployments/any-id/profile", RawJson("{\"about\": ")), HttpStatusCode.BadRequest);

        Assert.Equal(before, await stack.VonageCallsAsync());
    }

    [Fact]
    public async Task Patch_WebsitesOfWrongJsonType_Is400NamingIt()
    {
        await ProblemAsync(await stack.Api.PatchAsync("api/deployments/any-id/profile", RawJson("""{"websites": "https://example.com"}""")), HttpStatusCode.BadRequest, "websites");
    }

    [Fact]
    public async Task Patch_NotJson_Is415()
    {
        var response = await stack.Api.PatchAsync("api/deployments/any-id/profile", new StringContent("about=x", System.Text.Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Get_BeforeReady_RelaysVonages409()
    {
        var id = await stack.CodeSentDeploymentAsync();

        var problem = await ProblemAsync(await stack.Api.GetAsync($"api/deployments/{id}/profile"), HttpStatusCode.Conflict);

        Assert.EndsWith("#conflict-deployment-state", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostPhoto_ThenGet_ReturnsTheNewPhoto()
    {
        var id = await stack.ReadyDeploymentAsync();

        var posted = await JsonAsync(await stack.Api.PostAsync($"api/deployments/{id}/profile/photo", Json(new { image_url = "https://example.com/logo.png" })));
        var read = await JsonAsync(await stack.Api.GetAsync($"api/deployments/{id}/profile/photo"));

        Assert.Equal("https://example.com/logo.png", posted.GetProperty("image_url").GetString());
        Assert.Equal("https://example.com/logo.png", read.GetProperty("image_url").GetString());
    }

    [Fact]
    public async Task PostPhoto_NotAnHttpUrl_Is422WithoutCallingVonage()
    {
        var before = await stack.VonageCallsAsync();

        await ProblemAsync(await stack.Api.PostAsync("api/deployments/any-id/profile/photo", Json(new { image_url = "file:///etc/passwd" })), HttpStatusCode.UnprocessableEntity, "image_url");

        Assert.Equal(before, await stack.VonageCallsAsync());
    }
}
