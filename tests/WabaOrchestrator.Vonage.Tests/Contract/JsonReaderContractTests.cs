using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Vonage.Errors;
using WabaOrchestrator.Vonage.Http;
using WabaOrchestrator.Vonage.Tests.Infrastructure;

namespace WabaOrchestrator.Vonage.Tests.Contract;

/// <summary>The pass-through reader proxies relay with: Vonage's bytes, through the same token, retries and errors as the typed clients.</summary>
public sealed class JsonReaderContractTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private IVonageJsonReader Reader => sandbox.Services.GetRequiredService<IVonageJsonReader>();

    [Fact]
    public async Task Get_ReturnsVonagesJson_ForTheSamePathTheTypedClientReads()
    {
        var provisioned = await sandbox.Deployments.ProvisionAsync(sandbox.NewProvision());

        var json = await Reader.GetAsync(VonagePaths.Deployment(provisioned.DeploymentId));

        using var document = JsonDocument.Parse(json);
        Assert.Equal(provisioned.DeploymentId, document.RootElement.GetProperty("deployment_id").GetString());
        var sent = sandbox.Log.Last;
        Assert.Equal(HttpMethod.Get, sent.Method);
        Assert.Equal("Bearer", sent.Authorization?.Scheme);
    }

    [Fact]
    public async Task Get_UnknownResource_ThrowsTheTypedClientsVonageApiException()
    {
        var error = await Assert.ThrowsAsync<VonageApiException>(() => Reader.GetAsync(VonagePaths.Deployment("no-such-deployment")));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public void TemplateList_CarriesEveryFilterEscaped()
    {
        var path = VonagePaths.TemplateList("123", new Templates.TemplateQuery { Limit = 5, After = "a b", Name = "x&y" });

        Assert.Equal("v2/whatsapp-manager/wabas/123/templates?limit=5&after=a%20b&name=x%26y", path);
    }
}
