using WabaOrchestrator.Vonage.Tests.Infrastructure;

namespace WabaOrchestrator.Vonage.Tests.Auth;

public sealed class AuthHandlerTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task EveryRequest_CarriesABearerToken_TheSandboxAccepts_AndTheTokenIsReused()
    {
        var deployment = await sandbox.Deployments.ProvisionAsync(sandbox.NewProvision());
        await sandbox.Deployments.GetAsync(deployment.DeploymentId);

        var sent = sandbox.Log.Requests.TakeLast(2).Select(r => r.Authorization).ToList();
        Assert.All(sent, a => Assert.Equal("Bearer", a!.Scheme));
        Assert.Single(sent.Select(a => a!.Parameter).Distinct());
    }

    [Fact]
    public async Task ARetriedAttempt_CarriesTheTokenToo()
    {
        var deployment = await sandbox.Deployments.ProvisionAsync(sandbox.NewProvision());
        sandbox.Log.Clear();
        sandbox.Log.FailNext("error", 1);

        await sandbox.Deployments.GetAsync(deployment.DeploymentId);

        Assert.Equal(2, sandbox.Log.Requests.Count);
        Assert.All(sandbox.Log.Requests, r => Assert.Equal("Bearer", r.Authorization!.Scheme));
    }
}
