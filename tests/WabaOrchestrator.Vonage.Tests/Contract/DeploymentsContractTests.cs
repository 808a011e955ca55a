using System.Net;
using System.Text.Json;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Errors;
using WabaOrchestrator.Vonage.Tests.Infrastructure;

namespace WabaOrchestrator.Vonage.Tests.Contract;

public sealed class DeploymentsContractTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private const string Deployments = "/v0.1/whatsapp-manager/deployments";

    [Fact]
    public async Task Provision_PostsTheDocumentedBody_AndParsesTheAcceptedDeployment()
    {
        var number = sandbox.NextNumber();
        var before = await sandbox.CountAsync($"POST {Deployments}", 202);

        var deployment = await sandbox.Deployments.ProvisionAsync(new ProvisionDeploymentRequest("44", number, "AbCdEFGHiJK123456", OtpMethod.Sms, "123456789123", Pin: "123456"));

        Assert.False(string.IsNullOrEmpty(deployment.DeploymentId));
        Assert.Equal("44", deployment.CountryCode);
        Assert.Equal(number, deployment.Number);
        Assert.Equal("123456789123", deployment.WabaId);
        Assert.Equal(DeploymentState.Initializing, deployment.State);
        Assert.Equal(before + 1, await sandbox.CountAsync($"POST {Deployments}", 202));

        var sent = sandbox.Log.Requests.Last(r => r.Method == HttpMethod.Post && r.Uri.AbsolutePath == Deployments);
        Assert.Equal("application/json", sent.ContentType);
        using var body = JsonDocument.Parse(sent.Body!);
        Assert.Equal(
            ["country_code", "number", "vname_certificate", "method", "waba_id", "pin"],
            body.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("sms", body.RootElement.GetProperty("method").GetString());
    }

    [Fact]
    public async Task Get_FollowsTheStateMachine_ToCodeSent()
    {
        var provisioned = await sandbox.Deployments.ProvisionAsync(sandbox.NewProvision());

        var deployment = await sandbox.WaitForStateAsync(provisioned.DeploymentId, DeploymentState.CodeSent);

        Assert.Equal(provisioned.DeploymentId, deployment.DeploymentId);
        Assert.Equal(HttpMethod.Get, sandbox.Log.Last.Method);
        Assert.EndsWith($"{Deployments}/{provisioned.DeploymentId}", sandbox.Log.Last.Uri.AbsolutePath, StringComparison.Ordinal);
        Assert.True(await sandbox.CountAsync($"GET {Deployments}/{{deployment_id}}", 200) > 0);
    }

    [Fact]
    public async Task Verify_WithTheDeliveredCode_Returns201Result_AndReachesReady()
    {
        var provisioned = await sandbox.Deployments.ProvisionAsync(sandbox.NewProvision());
        await sandbox.WaitForStateAsync(provisioned.DeploymentId, DeploymentState.CodeSent);
        var code = await sandbox.OtpAsync(provisioned.DeploymentId);

        var result = await sandbox.Deployments.VerifyOtpAsync(provisioned.DeploymentId, code);

        Assert.Equal(provisioned.DeploymentId, result.DeploymentId);
        Assert.False(string.IsNullOrEmpty(result.Status));
        Assert.Equal($$"""{"code":"{{code}}"}""", sandbox.Log.Last.Body);
        Assert.True(await sandbox.CountAsync($"POST {Deployments}/{{deployment_id}}/verify", 201) >= 1);
        await sandbox.WaitForStateAsync(provisioned.DeploymentId, DeploymentState.Ready);
    }

    [Fact]
    public async Task Verify_WithWrongCode_ThrowsVerificationFailed_NamingTheCodeParameter()
    {
        var provisioned = await sandbox.Deployments.ProvisionAsync(sandbox.NewProvision());
        await sandbox.WaitForStateAsync(provisioned.DeploymentId, DeploymentState.CodeSent);
        var right = await sandbox.OtpAsync(provisioned.DeploymentId);
        var wrong = right == "000000" ? "111111" : "000000";

        var error = await Assert.ThrowsAsync<VonageApiException>(() => sandbox.Deployments.VerifyOtpAsync(provisioned.DeploymentId, wrong));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.StatusCode);
        Assert.True(error.IsVerificationFailed);
        Assert.Equal(VonageErrorCodes.VerificationFailed, error.Code);
        Assert.Contains(error.InvalidParameters, p => p.Name == "code" && p.Reason == "Invalid code provided.");
        Assert.False(string.IsNullOrEmpty(error.Instance));
        Assert.Equal(DeploymentState.WrongCode, (await sandbox.Deployments.GetAsync(provisioned.DeploymentId)).State);
    }

    [Fact]
    public async Task ResendOtp_Returns202Body_AndInvalidatesTheOldCode()
    {
        var provisioned = await sandbox.Deployments.ProvisionAsync(sandbox.NewProvision());
        await sandbox.WaitForStateAsync(provisioned.DeploymentId, DeploymentState.CodeSent);
        var first = await sandbox.OtpAsync(provisioned.DeploymentId);

        var result = await sandbox.Deployments.ResendOtpAsync(provisioned.DeploymentId, OtpMethod.Voice);

        Assert.Equal(OtpMethod.Voice, result.Method);
        Assert.False(string.IsNullOrEmpty(result.Message));
        Assert.Equal("""{"method":"voice"}""", sandbox.Log.Last.Body);
        Assert.EndsWith("/resend-otp", sandbox.Log.Last.Uri.AbsolutePath, StringComparison.Ordinal);
        var second = await sandbox.OtpAsync(provisioned.DeploymentId);
        if (second != first)
        {
            var error = await Assert.ThrowsAsync<VonageApiException>(() => sandbox.Deployments.VerifyOtpAsync(provisioned.DeploymentId, first));
            Assert.True(error.IsVerificationFailed);
        }

        await sandbox.Deployments.VerifyOtpAsync(provisioned.DeploymentId, second);
    }

    [Fact]
    public async Task ResendOtp_AfterVerification_ThrowsConflictResendOtp()
    {
        var ready = await sandbox.ReadyDeploymentAsync();

        var error = await Assert.ThrowsAsync<VonageApiException>(() => sandbox.Deployments.ResendOtpAsync(ready.DeploymentId));

        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        Assert.True(error.IsConflict);
        Assert.True(error.IsConflictResendOtp);
        Assert.Equal("{}", sandbox.Log.Last.Body);
    }

    [Fact]
    public async Task Verify_OutsideTheOtpStage_ThrowsConflictDeploymentState()
    {
        var ready = await sandbox.ReadyDeploymentAsync();

        var error = await Assert.ThrowsAsync<VonageApiException>(() => sandbox.Deployments.VerifyOtpAsync(ready.DeploymentId, "123456"));

        Assert.True(error.IsConflictDeploymentState);
        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
    }

    [Fact]
    public async Task Provision_ANumberInUse_ThrowsNumberInUse_WithTheExistingDeploymentId()
    {
        var request = sandbox.NewProvision();
        var first = await sandbox.Deployments.ProvisionAsync(request);

        var error = await Assert.ThrowsAsync<VonageApiException>(() => sandbox.Deployments.ProvisionAsync(request));

        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        Assert.True(error.IsNumberInUse);
        Assert.Equal(first.DeploymentId, error.ExistingDeploymentId);
        Assert.Equal($"Active deployment already exists with id {first.DeploymentId}", error.Detail);
    }

    [Fact]
    public async Task Delete_Returns204_ThenTheDeploymentGoesToDeleted_AndASecondDeleteConflicts()
    {
        var provisioned = await sandbox.Deployments.ProvisionAsync(sandbox.NewProvision());
        await sandbox.WaitForStateAsync(provisioned.DeploymentId, DeploymentState.CodeSent);

        await sandbox.Deployments.DeleteAsync(provisioned.DeploymentId);

        Assert.Equal(HttpMethod.Delete, sandbox.Log.Last.Method);
        Assert.True(await sandbox.CountAsync($"DELETE {Deployments}/{{deployment_id}}", 204) >= 1);
        var state = (await sandbox.Deployments.GetAsync(provisioned.DeploymentId)).State;
        if (state == DeploymentState.Deleting)
        {
            var error = await Assert.ThrowsAsync<VonageApiException>(() => sandbox.Deployments.DeleteAsync(provisioned.DeploymentId));
            Assert.True(error.IsConflictDeploymentState);
        }

        await sandbox.WaitForStateAsync(provisioned.DeploymentId, DeploymentState.Deleted);
    }

    [Fact]
    public async Task Deployment_WithAnInvalidCertificate_EndsInError_WithVonagesDetail()
    {
        var provisioned = await sandbox.Deployments.ProvisionAsync(sandbox.NewProvision(certificate: "invalid-certificate"));

        var deployment = await sandbox.WaitForStateAsync(provisioned.DeploymentId, DeploymentState.Error);

        Assert.Equal("Invalid vname certificate", deployment.CurrentState!.Detail);
    }

    [Fact]
    public async Task Get_AnUnknownDeployment_ThrowsNotFound()
    {
        var error = await Assert.ThrowsAsync<VonageApiException>(() => sandbox.Deployments.GetAsync(Guid.NewGuid().ToString()));

        Assert.True(error.IsNotFound);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.NotNull(error.Type);
    }
}
