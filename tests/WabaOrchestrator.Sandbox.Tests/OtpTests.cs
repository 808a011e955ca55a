using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WabaOrchestrator.Sandbox.Tests.Infrastructure;

namespace WabaOrchestrator.Sandbox.Tests;

/// <summary>A sandbox whose resends are never throttled, so tests can resend back to back.</summary>
public sealed class NoResendCooldownFixture : SandboxFixture
{
    protected override void Configure(SandboxOptions options) => options.ResendCooldown = TimeSpan.Zero;
}

/// <summary>Verify and resend.</summary>
public sealed class OtpTests(NoResendCooldownFixture sandbox) : IClassFixture<NoResendCooldownFixture>
{
    private readonly TestApplication _application = sandbox.Application;
    private readonly HttpClient _client = sandbox.Client;

    private async Task<string> CodeSentDeploymentAsync()
    {
        var id = await _client.ProvisionAsync();
        await _client.WaitForStateAsync(id, "CODE_SENT");
        return id;
    }

    private static string WrongCode(string code) => code == "000000" ? "111111" : "000000";

    [Fact]
    public async Task Verify_WithWrongCode_Is422AndWaitsForAnotherCode()
    {
        var id = await CodeSentDeploymentAsync();
        var code = await _client.OtpAsync(id);

        using var wrong = await _client.VerifyAsync(id, WrongCode(code));

        var problem = await wrong.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "verification-failed");
        var parameter = Assert.Single(problem.GetProperty("invalid_parameters").EnumerateArray());
        Assert.Equal("code", parameter.GetProperty("name").GetString());
        Assert.Equal("Invalid code provided.", parameter.GetProperty("reason").GetString());
        Assert.Equal("WRONG_CODE", await _client.StateAsync(id));

        using var right = await _client.VerifyAsync(id, code);
        Assert.Equal(HttpStatusCode.Created, right.StatusCode);
    }

    [Fact]
    public async Task Verify_AcceptsTheDashedFormOfTheCode()
    {
        var id = await CodeSentDeploymentAsync();
        var code = await _client.OtpAsync(id);

        using var response = await _client.VerifyAsync(id, $"{code[..3]}-{code[3..]}");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Verify_AfterFiveWrongCodes_FailsEvenWithTheRightCodeUntilAResend()
    {
        var id = await CodeSentDeploymentAsync();
        var code = await _client.OtpAsync(id);
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await _client.VerifyAsync(id, WrongCode(code));
            await wrong.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "verification-failed");
        }

        using var locked = await _client.VerifyAsync(id, code);
        await locked.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "verification-failed");

        using var resent = await _client.PostAsJsonAsync($"{SandboxApi.Deployments}/{id}/resend-otp", new { method = "sms" });
        Assert.Equal(HttpStatusCode.Accepted, resent.StatusCode);
        using var verified = await _client.VerifyAsync(id, await _client.OtpAsync(id));
        Assert.Equal(HttpStatusCode.Created, verified.StatusCode);
    }

    [Fact]
    public async Task Resend_InvalidatesTheOldCode_AndReportsTheMethod()
    {
        var id = await CodeSentDeploymentAsync();
        var oldCode = await _client.OtpAsync(id);

        string newCode;
        do
        {
            using var resent = await _client.PostAsJsonAsync($"{SandboxApi.Deployments}/{id}/resend-otp", new { method = "voice" });
            Assert.Equal(HttpStatusCode.Accepted, resent.StatusCode);
            var body = await resent.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Code sent", body.GetProperty("message").GetString());
            Assert.False(string.IsNullOrEmpty(body.GetProperty("vname").GetString()));
            Assert.Equal("voice", body.GetProperty("method").GetString());
            newCode = await _client.OtpAsync(id);
        }
        while (newCode == oldCode);

        using var stale = await _client.VerifyAsync(id, oldCode);
        await stale.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "verification-failed");
        using var fresh = await _client.VerifyAsync(id, newCode);
        Assert.Equal(HttpStatusCode.Created, fresh.StatusCode);
    }

    [Fact]
    public async Task Resend_WithoutABody_KeepsTheMethod()
    {
        var id = await CodeSentDeploymentAsync();

        using var resent = await _client.PostAsync($"{SandboxApi.Deployments}/{id}/resend-otp", null);

        Assert.Equal(HttpStatusCode.Accepted, resent.StatusCode);
        Assert.Equal("sms", (await resent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("method").GetString());
    }

    [Fact]
    public async Task Resend_WithABadMethod_NamesTheField()
    {
        var id = await CodeSentDeploymentAsync();

        using var response = await _client.PostAsJsonAsync($"{SandboxApi.Deployments}/{id}/resend-otp", new { method = "fax" });

        Assert.Equal(["method"], (await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "unprocessable")).InvalidParameterNames());
    }

    [Fact]
    public async Task Resend_PastTheOtpStage_IsConflictResendOtp()
    {
        var id = await _client.ReadyDeploymentAsync();

        using var response = await _client.PostAsJsonAsync($"{SandboxApi.Deployments}/{id}/resend-otp", new { method = "sms" });

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "conflict-resend-otp");
    }

    [Fact]
    public async Task Resend_InError_IsConflictResendOtp()
    {
        var id = await _client.ProvisionAsync(certificate: "invalid");
        await _client.WaitForStateAsync(id, "ERROR");

        using var response = await _client.PostAsJsonAsync($"{SandboxApi.Deployments}/{id}/resend-otp", new { method = "sms" });

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "conflict-resend-otp");
    }

    [Fact]
    public async Task Verify_OutsideTheOtpStage_IsConflictDeploymentState()
    {
        var id = await _client.ReadyDeploymentAsync();

        using var response = await _client.VerifyAsync(id, "123456");

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "conflict-deployment-state");
    }

    [Fact]
    public async Task Verify_WithAMissingOrMalformedCode_NamesTheField()
    {
        var id = await CodeSentDeploymentAsync();

        using var missing = await _client.PostAsJsonAsync($"{SandboxApi.Deployments}/{id}/verify", new { });
        Assert.Equal(["code"], (await missing.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "unprocessable")).InvalidParameterNames());
        using var malformed = await _client.VerifyAsync(id, "12x456");
        Assert.Equal(["code"], (await malformed.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "unprocessable")).InvalidParameterNames());
        using var notJson = await _client.PostRawAsync($"{SandboxApi.Deployments}/{id}/verify", "code=123456");
        await notJson.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-json");
    }

    [Fact]
    public async Task Resend_TooSoon_IsThrottledWithRetryAfter()
    {
        await using var host = await SandboxFixture.StartAsync(_application, o => o.ResendCooldown = TimeSpan.FromHours(1));
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", _application.MintToken(lifetime: TimeSpan.FromHours(1)));
        var id = await client.ProvisionAsync();
        await client.WaitForStateAsync(id, "CODE_SENT");

        using var response = await client.PostAsJsonAsync($"{SandboxApi.Deployments}/{id}/resend-otp", new { method = "sms" });

        await response.AssertProblemAsync(HttpStatusCode.TooManyRequests, "throttled");
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(59));
    }
}
