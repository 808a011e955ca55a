using System.Net;
using WabaOrchestrator.Sandbox.Deployments;
using WabaOrchestrator.Sandbox.Tests.Infrastructure;

namespace WabaOrchestrator.Sandbox.Tests;

public sealed class CapacityTests
{
    [Fact]
    public async Task Store_NeverHoldsMoreThanMaxDeployments_ForgettingFinishedOnesFirst()
    {
        using var application = new TestApplication();
        await using var host = await SandboxFixture.StartAsync(application, o => o.MaxDeployments = 20);
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", application.MintToken(lifetime: TimeSpan.FromHours(1)));
        var failed = await client.ProvisionAsync(certificate: "invalid");
        await client.WaitForStateAsync(failed, "ERROR");
        var live = await client.ProvisionAsync();

        for (var i = 0; i < 60; i++)
        {
            await client.ProvisionAsync();
        }

        var store = (DeploymentStore)host.Services.GetService(typeof(DeploymentStore))!;
        Assert.InRange(store.Count, 1, 20);
        using var forgotten = await client.GetAsync($"{SandboxApi.Deployments}/{failed}");
        Assert.Equal(HttpStatusCode.NotFound, forgotten.StatusCode);
        using var alsoForgotten = await client.GetAsync($"{SandboxApi.Deployments}/{live}");
        Assert.Equal(HttpStatusCode.NotFound, alsoForgotten.StatusCode);
    }
}
