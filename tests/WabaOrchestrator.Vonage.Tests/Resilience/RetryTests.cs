using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Errors;
using WabaOrchestrator.Vonage.Templates;
using WabaOrchestrator.Vonage.Tests.Infrastructure;

namespace WabaOrchestrator.Vonage.Tests.Resilience;

/// <summary>Retries observed from both ends: the client's attempt log and the sandbox's own counts.</summary>
public sealed class RetryTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>, IAsyncLifetime
{
    private const string Provision = "POST /v0.1/whatsapp-manager/deployments";
    private const string GetDeployment = "GET /v0.1/whatsapp-manager/deployments/{deployment_id}";

    public Task InitializeAsync() => sandbox.SetFaultsAsync();

    public Task DisposeAsync() => sandbox.SetFaultsAsync();

    [Fact]
    public async Task Get_AfterTwo500s_IsRetried_AndSucceedsOnTheThirdAttempt()
    {
        var deployment = await sandbox.Deployments.ProvisionAsync(sandbox.NewProvision());
        var errors = await sandbox.CountAsync(GetDeployment, 500);
        var oks = await sandbox.CountAsync(GetDeployment, 200);
        sandbox.Log.FailNext("error", 2);

        var fetched = await sandbox.Deployments.GetAsync(deployment.DeploymentId);

        Assert.Equal(deployment.DeploymentId, fetched.DeploymentId);
        Assert.Equal(errors + 2, await sandbox.CountAsync(GetDeployment, 500));
        Assert.Equal(oks + 1, await sandbox.CountAsync(GetDeployment, 200));
    }

    [Fact]
    public async Task Post_AfterA500_IsNotRepeated_AndSurfacesTheError()
    {
        var attempts = await sandbox.CountAsync(Provision);
        var failures = await sandbox.CountAsync(Provision, 500);
        sandbox.Log.FailNext("error", 1);

        var error = await Assert.ThrowsAsync<VonageApiException>(() => sandbox.Deployments.ProvisionAsync(sandbox.NewProvision()));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Equal(attempts + 1, await sandbox.CountAsync(Provision));
        Assert.Equal(failures + 1, await sandbox.CountAsync(Provision, 500));
    }

    [Fact]
    public async Task Post_After429_IsRetried_HonouringRetryAfter_BecauseItWasNotProcessed()
    {
        var throttled = await sandbox.CountAsync(Provision, 429);
        var accepted = await sandbox.CountAsync(Provision, 202);
        sandbox.Log.FailNext("throttled", 1);

        await sandbox.Deployments.ProvisionAsync(sandbox.NewProvision());

        Assert.Equal(throttled + 1, await sandbox.CountAsync(Provision, 429));
        Assert.Equal(accepted + 1, await sandbox.CountAsync(Provision, 202));
    }

    [Fact]
    public async Task Get_WhenEveryAttemptFails_StopsAfterTheConfiguredAttempts()
    {
        var deployment = await sandbox.Deployments.ProvisionAsync(sandbox.NewProvision());
        var errors = await sandbox.CountAsync(GetDeployment, 500);
        await sandbox.SetFaultsAsync(errorRate: 1);

        var error = await Assert.ThrowsAsync<VonageApiException>(() => sandbox.Deployments.GetAsync(deployment.DeploymentId));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal(errors + 4, await sandbox.CountAsync(GetDeployment, 500)); // 1 + MaxRetryAttempts (3)
    }

    [Fact]
    public async Task TemplatePost_AfterA500_IsNotRepeated_AndMapsCode1030()
    {
        var before = await sandbox.CountAsync("POST /v2/whatsapp-manager/wabas/{id}/templates");
        sandbox.Log.FailNext("error", 1);

        var error = await Assert.ThrowsAsync<VonageApiException>(() => sandbox.Templates.CreateAsync("555", new TemplateDefinition(
            "retry_me", "en", TemplateCategory.Utility, [new TemplateComponent(ComponentType.Body, ComponentFormat.Text, "Hello there.")])));

        Assert.Equal(VonageErrorCodes.TemplateInternalError, error.Code);
        Assert.False(string.IsNullOrEmpty(error.Instance));
        Assert.Equal(before + 1, await sandbox.CountAsync("POST /v2/whatsapp-manager/wabas/{id}/templates"));
    }

    [Fact]
    public async Task Throttling_WithRetryAfterBeyondTheCap_IsReturnedToTheCaller_WithCode1000AndRetryAfter()
    {
        var log = new RequestLog();
        await using var services = VonageClientFactory.Create(sandbox.Host.BaseAddress, log, s => s["Vonage:Resilience:MaxRetryAfter"] = "00:00:00.500");
        log.FailNext("throttled", 1);

        var error = await Assert.ThrowsAsync<VonageApiException>(() => services.GetRequiredService<ITemplatesClient>().ListAsync("555"));

        Assert.True(error.IsThrottled);
        Assert.Equal(VonageErrorCodes.TemplateThrottled, error.Code);
        Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter);
        Assert.Single(log.Requests);
    }

    [Fact]
    public async Task Post_ToARefusedConnection_IsRetried_BecauseItWasNeverSent()
    {
        var log = new RequestLog();
        await using var services = VonageClientFactory.Create(new Uri($"http://127.0.0.1:{ClosedPort()}/"), log);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => services.GetRequiredService<IDeploymentsClient>().ProvisionAsync(sandbox.NewProvision()));

        Assert.Equal(HttpRequestError.ConnectionError, error.HttpRequestError);
        Assert.Equal(4, log.Requests.Count);
    }

    [Fact]
    public async Task AttemptTimeout_RetriesAGet_ButNotAPost()
    {
        var deployment = await sandbox.Deployments.ProvisionAsync(sandbox.NewProvision());
        var log = new RequestLog();
        await using var services = VonageClientFactory.Create(sandbox.Host.BaseAddress, log, s =>
        {
            s["Vonage:Resilience:AttemptTimeout"] = "00:00:00.300";
            s["Vonage:Resilience:TotalTimeout"] = "00:00:10";
        });
        var client = services.GetRequiredService<IDeploymentsClient>();
        await sandbox.SetFaultsAsync(latencyMs: 5_000);

        await Assert.ThrowsAsync<TimeoutException>(() => client.GetAsync(deployment.DeploymentId));
        Assert.Equal(4, log.Requests.Count);

        log.Clear();
        await Assert.ThrowsAsync<TimeoutException>(() => client.ProvisionAsync(sandbox.NewProvision()));
        Assert.Single(log.Requests);
    }

    [Fact]
    public async Task TotalTimeout_BoundsEveryRetryTogether()
    {
        var deployment = await sandbox.Deployments.ProvisionAsync(sandbox.NewProvision());
        var log = new RequestLog();
        await using var services = VonageClientFactory.Create(sandbox.Host.BaseAddress, log, s =>
        {
            s["Vonage:Resilience:MaxRetryAttempts"] = "20";
            s["Vonage:Resilience:AttemptTimeout"] = "00:00:00.200";
            s["Vonage:Resilience:TotalTimeout"] = "00:00:00.500";
        });
        await sandbox.SetFaultsAsync(latencyMs: 5_000);

        await Assert.ThrowsAsync<TimeoutException>(() => services.GetRequiredService<IDeploymentsClient>().GetAsync(deployment.DeploymentId));

        Assert.InRange(log.Requests.Count, 0, 3); // 20 retries allowed, but the total budget stops it
    }

    [Fact]
    public async Task CallersCancellation_Propagates_AndIsNeverRetried()
    {
        var deployment = await sandbox.Deployments.ProvisionAsync(sandbox.NewProvision());
        sandbox.Log.Clear();
        await sandbox.SetFaultsAsync(latencyMs: 2_000);
        using var cancellation = new CancellationTokenSource();

        var call = sandbox.Deployments.GetAsync(deployment.DeploymentId, cancellation.Token);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (sandbox.Log.Requests.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5); // poll until the request is on the wire, bounded by the deadline
        }

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        Assert.Single(sandbox.Log.Requests);
    }

    [Fact]
    public async Task ResendOtp_TooSoon_IsThrottled_AndALongRetryAfterGoesBackToTheCaller()
    {
        await using var host = await SandboxFixture.StartSandboxAsync(o => o.ResendCooldown = TimeSpan.FromMinutes(1));
        var log = new RequestLog();
        await using var services = VonageClientFactory.Create(host.BaseAddress, log);
        var client = services.GetRequiredService<IDeploymentsClient>();
        var deployment = await client.ProvisionAsync(sandbox.NewProvision());
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await client.GetAsync(deployment.DeploymentId)).State != DeploymentState.CodeSent && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10); // poll interval, bounded by the deadline
        }

        log.Clear();
        var error = await Assert.ThrowsAsync<VonageApiException>(() => client.ResendOtpAsync(deployment.DeploymentId));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal(VonageErrorCodes.Throttled, error.Code);
        Assert.InRange(error.RetryAfter!.Value, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60));
        Assert.Single(log.Requests);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
