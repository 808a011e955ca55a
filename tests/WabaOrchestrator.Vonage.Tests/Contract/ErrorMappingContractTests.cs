using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Vonage.Auth;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Errors;
using WabaOrchestrator.Vonage.Tests.Infrastructure;

namespace WabaOrchestrator.Vonage.Tests.Contract;

/// <summary>
/// Errors the typed client's own validation never lets through (malformed JSON, bad fields) are
/// provoked with raw requests, then parsed by the client's reader: the mapping is checked on the
/// sandbox's real bytes.
/// </summary>
public sealed class ErrorMappingContractTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private async Task<VonageApiException> RawAsync(HttpMethod method, string path, string body)
    {
        var token = await sandbox.Services.GetRequiredService<IVonageTokenProvider>().GetTokenAsync(CancellationToken.None);
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await sandbox.Control.SendAsync(request);
        Assert.False(response.IsSuccessStatusCode);
        return await VonageProblemReader.ReadAsync(response, TimeProvider.System, CancellationToken.None);
    }

    [Fact]
    public async Task MalformedJson_MapsToInvalidJson()
    {
        var error = await RawAsync(HttpMethod.Post, "v0.1/whatsapp-manager/deployments", "{not json");

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(VonageErrorCodes.InvalidJson, error.Code);
        Assert.False(string.IsNullOrEmpty(error.Instance));
        Assert.Contains("invalid-json", error.RawBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingFields_MapToUnprocessable_WithEachInvalidParameter()
    {
        var error = await RawAsync(HttpMethod.Post, "v0.1/whatsapp-manager/deployments", """{"country_code":"44"}""");

        Assert.True(error.IsUnprocessable);
        Assert.Equal(VonageErrorCodes.Unprocessable, error.Code);
        Assert.Contains(error.InvalidParameters, p => p.Name == "number");
        Assert.Contains(error.InvalidParameters, p => p.Name == "waba_id");
    }

    [Fact]
    public async Task ARefusedProfile_MapsToUnprocessableProfileUpdate()
    {
        var ready = await sandbox.ReadyDeploymentAsync();

        var error = await RawAsync(HttpMethod.Patch, $"v0.1/whatsapp-manager/deployments/{ready.DeploymentId}/profile", $$"""{"about":"{{new string('a', 140)}}"}""");

        Assert.Equal(VonageErrorCodes.UnprocessableProfileUpdate, error.Code);
        Assert.Contains(error.InvalidParameters, p => p.Name == "about");
    }

    [Fact]
    public async Task ARefusedPhoto_MapsToUnprocessable()
    {
        var ready = await sandbox.ReadyDeploymentAsync();

        var error = await RawAsync(HttpMethod.Post, $"v0.1/whatsapp-manager/deployments/{ready.DeploymentId}/profile/photo", """{"image_url":"not a url"}""");

        Assert.True(error.IsUnprocessable);
        Assert.Contains(error.InvalidParameters, p => p.Name == "image_url");
    }

    [Fact]
    public async Task AnInvalidTemplate_MapsToTheTemplateApisCode_WithFieldPaths()
    {
        var error = await RawAsync(HttpMethod.Post, "v2/whatsapp-manager/wabas/777/templates", """{"name":"Bad Name","language":"en","category":"UTILITY","components":[]}""");

        Assert.True(error.IsUnprocessable);
        Assert.Equal("1020", error.Code);
        Assert.Contains(error.InvalidParameters, p => p.Name == "name");
    }

    [Fact]
    public async Task ATokenSignedWithAnotherKey_MapsToUnauthorized()
    {
        using var other = System.Security.Cryptography.RSA.Create(2048);
        await using var services = VonageClientFactory.Create(sandbox.Host.BaseAddress, settings: s => s["Vonage:PrivateKey"] = other.ExportPkcs8PrivateKeyPem());

        var error = await Assert.ThrowsAsync<VonageApiException>(() => services.GetRequiredService<IDeploymentsClient>().GetAsync("anything"));

        Assert.True(error.IsUnauthorized);
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }
}
