using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Testing;
using WabaOrchestrator.Vonage.Deployments;
using static WabaOrchestrator.Api.Tests.Proxies.ProxyAssert;

namespace WabaOrchestrator.Api.Tests.Proxies;

public sealed class DeploymentProxyTests(ProxyStack stack) : IClassFixture<ProxyStack>
{
    [Fact]
    public async Task Get_ReadyDeployment_ReturnsVonagesDeployment()
    {
        var id = await stack.ReadyDeploymentAsync();

        var deployment = await JsonAsync(await stack.Api.GetAsync($"api/deployments/{id}"));

        Assert.Equal(id, deployment.GetProperty("deployment_id").GetString());
        Assert.Equal("READY", deployment.GetProperty("current_state").GetProperty("title").GetString());
        Assert.Equal("44", deployment.GetProperty("country_code").GetString());
    }

    [Fact]
    public async Task Get_UnknownDeployment_RelaysVonages404()
    {
        var problem = await ProblemAsync(await stack.Api.GetAsync("api/deployments/does-not-exist"), HttpStatusCode.NotFound);

        Assert.Contains("whatsapp-provisioning", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a..b")]
    [InlineData("has%20a%20%23hash")]
    [InlineData("back%5Cslash")]
    [InlineData("tab%09id")]
    public async Task Get_IdWithPathTricks_Is422WithoutCallingVonage(string id)
    {
        var before = await stack.VonageCallsAsync();

        await ProblemAsync(await stack.Api.GetAsync($"api/deployments/{id}"), HttpStatusCode.UnprocessableEntity, "deployment_id");

        Assert.Equal(before, await stack.VonageCallsAsync());
    }

    [Fact]
    public async Task Get_IdTooLong_Is422WithoutCallingVonage()
    {
        var before = await stack.VonageCallsAsync();

        await ProblemAsync(await stack.Api.GetAsync($"api/deployments/{new string('a', 129)}"), HttpStatusCode.UnprocessableEntity, "deployment_id");

        Assert.Equal(before, await stack.VonageCallsAsync());
    }

    [Fact]
    public async Task Get_EncodedDotSegments_NeverReachVonageAsAnotherPath()
    {
        var before = await stack.VonageCallsAsync();

        var response = await stack.Api.GetAsync("api/deployments/%2E%2E");

        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.UnprocessableEntity });
        Assert.Equal(before, await stack.VonageCallsAsync());
    }

    [Fact]
    public async Task ResendOtp_WithoutBody_Is202AndSendsANewCode()
    {
        var id = await stack.CodeSentDeploymentAsync();

        var sent = await JsonAsync(await stack.Api.PostAsync($"api/deployments/{id}/resend-otp", content: null), HttpStatusCode.Accepted);

        Assert.Equal("sms", sent.GetProperty("method").GetString());
    }

    [Fact]
    public async Task ResendOtp_WithVoice_SwitchesTheMethod()
    {
        var id = await stack.CodeSentDeploymentAsync();

        var sent = await JsonAsync(await stack.Api.PostAsync($"api/deployments/{id}/resend-otp", Json(new { method = "voice" })), HttpStatusCode.Accepted);

        Assert.Equal("voice", sent.GetProperty("method").GetString());
    }

    [Fact]
    public async Task ResendOtp_UnknownMethod_Is422WithoutCallingVonage()
    {
        var before = await stack.VonageCallsAsync();

        await ProblemAsync(await stack.Api.PostAsync("api/deployments/some-id/resend-otp", Json(new { method = "fax" })), HttpStatusCode.UnprocessableEntity, "method");

        Assert.Equal(before, await stack.VonageCallsAsync());
    }

    [Fact]
    public async Task ResendOtp_MethodOfWrongJsonType_Is400NamingIt()
    {
        var before = await stack.VonageCallsAsync();

        await ProblemAsync(await stack.Api.PostAsync("api/deployments/some-id/resend-otp", RawJson("""{"method": 5}""")), HttpStatusCode.BadRequest, "method");

        Assert.Equal(before, await stack.VonageCallsAsync());
    }

    [Fact]
    public async Task ResendOtp_OnReadyDeployment_RelaysVonages409()
    {
        var id = await stack.ReadyDeploymentAsync();

        var problem = await ProblemAsync(await stack.Api.PostAsync($"api/deployments/{id}/resend-otp", content: null), HttpStatusCode.Conflict);

        Assert.EndsWith("#conflict-resend-otp", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_Deployment_Is204AndVonageDeletesIt()
    {
        var id = await stack.CodeSentDeploymentAsync();

        var response = await stack.Api.DeleteAsync($"api/deployments/{id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var deployments = stack.Host.Services.GetRequiredService<IDeploymentsClient>();
        await Poll.UntilAsync(async () => (await deployments.GetAsync(id)).State == DeploymentState.Deleted ? id : null, "the deployment to be DELETED");
    }
}
