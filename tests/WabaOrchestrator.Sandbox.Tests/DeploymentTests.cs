using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WabaOrchestrator.Sandbox.Tests.Infrastructure;

namespace WabaOrchestrator.Sandbox.Tests;

public sealed class DeploymentTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private HttpClient Client => sandbox.Client;

    [Fact]
    public async Task Provision_Returns202WithTheDocumentedShape()
    {
        var number = SandboxApi.UniqueNumber();
        using var response = await Client.PostAsJsonAsync(SandboxApi.Deployments, SandboxApi.ProvisionBody(number));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(Guid.TryParse(body.GetProperty("deployment_id").GetString(), out _));
        Assert.Equal("123456789123", body.GetProperty("waba_id").GetString());
        Assert.Equal("44", body.GetProperty("country_code").GetString());
        Assert.Equal(number, body.GetProperty("number").GetString());
        Assert.Equal("sandbox", body.GetProperty("api_key").GetString());
        Assert.Equal("INITIALIZING", body.GetProperty("current_state").GetProperty("title").GetString());
        Assert.Equal("Initializing deployment", body.GetProperty("current_state").GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Deployment_WalksTheWholeStateMachineToReady()
    {
        var id = await Client.ProvisionAsync();
        await Client.WaitForStateAsync(id, "CODE_SENT");

        using var verified = await Client.VerifyAsync(id, await Client.OtpAsync(id));

        Assert.Equal(HttpStatusCode.Created, verified.StatusCode);
        var body = await verified.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, body.GetProperty("deployment_id").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("status").GetString()));
        await Client.WaitForStateAsync(id, "READY");
    }

    [Fact]
    public async Task Get_UnknownDeployment_Is404()
    {
        using var response = await Client.GetAsync($"{SandboxApi.Deployments}/{Guid.NewGuid()}");
        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("resend-otp")]
    [InlineData("verify")]
    [InlineData("profile/photo")]
    [InlineData("stickerpacks")]
    public async Task Operations_OnUnknownDeployment_Are404(string operation)
    {
        using var response = await Client.PostAsJsonAsync($"{SandboxApi.Deployments}/{Guid.NewGuid()}/{operation}", new { code = "123456" });
        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Delete_MovesThroughDeletingToDeleted_AndIsIdempotent()
    {
        var id = await Client.ProvisionAsync();

        using var deleted = await Client.DeleteAsync($"{SandboxApi.Deployments}/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await Client.WaitForStateAsync(id, "DELETED");

        using var again = await Client.DeleteAsync($"{SandboxApi.Deployments}/{id}");
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
    }

    [Fact]
    public async Task Delete_UnknownDeployment_Is404()
    {
        using var response = await Client.DeleteAsync($"{SandboxApi.Deployments}/{Guid.NewGuid()}");
        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Provision_OfANumberInUse_Is409NamingTheActiveDeployment()
    {
        var number = SandboxApi.UniqueNumber();
        var first = await Client.ProvisionAsync(number);

        using var second = await Client.PostAsJsonAsync(SandboxApi.Deployments, SandboxApi.ProvisionBody(number));

        var problem = await second.AssertProblemAsync(HttpStatusCode.Conflict, "number-in-use");
        Assert.Equal($"Active deployment already exists with id {first}", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Number_IsFreeAgainOnceItsDeploymentIsDeleted()
    {
        var number = SandboxApi.UniqueNumber();
        var first = await Client.ProvisionAsync(number);
        using var deleted = await Client.DeleteAsync($"{SandboxApi.Deployments}/{first}");
        await Client.WaitForStateAsync(first, "DELETED");

        var second = await Client.ProvisionAsync(number);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task InvalidCertificate_EndsInErrorAfterClusterCreated_AndFreesTheNumber()
    {
        var number = SandboxApi.UniqueNumber();
        var id = await Client.ProvisionAsync(number, certificate: "invalid-certificate");

        await Client.WaitForStateAsync(id, "ERROR");
        var state = (await Client.GetDeploymentAsync(id)).GetProperty("current_state");
        Assert.Equal("Invalid vname certificate", state.GetProperty("detail").GetString());

        using var otp = await Client.GetAsync($"_sandbox/deployments/{id}/otp");
        Assert.Equal(HttpStatusCode.NotFound, otp.StatusCode);
        await Client.ProvisionAsync(number);
    }

    [Fact]
    public async Task Provision_WithMalformedJson_Is400InvalidJson()
    {
        using var response = await Client.PostRawAsync(SandboxApi.Deployments, "{\"country_code\": ");
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-json");

        using var array = await Client.PostRawAsync(SandboxApi.Deployments, "[1, 2]");
        await array.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-json");
    }

    [Fact]
    public async Task Provision_WithMissingFields_NamesEachOne()
    {
        using var response = await Client.PostAsJsonAsync(SandboxApi.Deployments, new { });
        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "unprocessable");
        Assert.Equal(["country_code", "number", "vname_certificate", "method", "waba_id"], problem.InvalidParameterNames());
    }

    [Fact]
    public async Task Provision_WithMalformedFields_NamesEachOne()
    {
        using var response = await Client.PostAsJsonAsync(SandboxApi.Deployments, new
        {
            country_code = "+44",
            number = "12ab",
            vname_certificate = 42,
            method = "pigeon",
            waba_id = "123",
            pin = "12",
        });
        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "unprocessable");
        Assert.Equal(["country_code", "number", "vname_certificate", "method", "pin"], problem.InvalidParameterNames());
    }

    [Fact]
    public async Task Provision_OfANumberLongerThanE164_IsRefused()
    {
        using var response = await Client.PostAsJsonAsync(SandboxApi.Deployments, SandboxApi.ProvisionBody("12345678901234"));
        Assert.Equal(["number"], (await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "unprocessable")).InvalidParameterNames());
    }

    [Fact]
    public async Task OtpEndpoint_Is404BeforeACodeWasSent_AndShowsTheCodeAfterwards()
    {
        using var unknown = await Client.GetAsync($"_sandbox/deployments/{Guid.NewGuid()}/otp");
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");

        var id = await Client.ProvisionAsync(method: "voice");
        await Client.WaitForStateAsync(id, "CODE_SENT");
        using var response = await Client.GetAsync($"_sandbox/deployments/{id}/otp");
        var otp = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Matches("^[0-9]{6}$", otp.GetProperty("code").GetString());
        Assert.Equal("voice", otp.GetProperty("method").GetString());
        Assert.True(otp.GetProperty("sent_at").TryGetDateTimeOffset(out _));
    }
}
