using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Sandbox.Tests.Infrastructure;

namespace WabaOrchestrator.Sandbox.Tests;

/// <summary>The state machine and token lifetimes on a manual clock: every step is driven, none awaited.</summary>
public sealed class StateMachineTests : IAsyncLifetime
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(1);
    private static readonly TestApplication SharedApplication = new();
    private readonly ManualTimeProvider _time = new();
    private SandboxHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await SandboxHost.StartAsync(
            o =>
            {
                o.StepDelay = Step;
                o.ResendCooldown = TimeSpan.FromSeconds(2);
                o.Applications.Add(new SandboxApplication { ApplicationId = SharedApplication.ApplicationId, PublicKey = SharedApplication.PublicKeyPem });
            },
            configureServices: services => services.AddSingleton<TimeProvider>(_time));
        _client = new HttpClient { BaseAddress = _host.BaseAddress };
        _client.DefaultRequestHeaders.Authorization = new("Bearer", SharedApplication.MintToken(lifetime: TimeSpan.FromHours(1)));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Deployment_MovesOneStepPerStepDelay()
    {
        var id = await _client.ProvisionAsync();
        Assert.Equal("INITIALIZING", await _client.StateAsync(id));

        foreach (var expected in new[] { "CREATING_CLUSTER", "CLUSTER_CREATED", "CODE_SENT" })
        {
            _time.Advance(Step - TimeSpan.FromMilliseconds(1));
            Assert.NotEqual(expected, await _client.StateAsync(id));
            _time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(expected, await _client.StateAsync(id));
        }

        _time.Advance(TimeSpan.FromHours(0.5));
        Assert.Equal("CODE_SENT", await _client.StateAsync(id));

        using var verified = await _client.VerifyAsync(id, await _client.OtpAsync(id));
        Assert.Equal(HttpStatusCode.Created, verified.StatusCode);
        Assert.Equal("CODE_VERIFIED", await _client.StateAsync(id));
        _time.Advance(Step);
        Assert.Equal("FINALIZING", await _client.StateAsync(id));
        _time.Advance(Step);
        Assert.Equal("READY", await _client.StateAsync(id));
    }

    [Fact]
    public async Task Delete_WhileDeleting_IsConflict_ThenTheDeploymentIsDeleted()
    {
        var id = await _client.ProvisionAsync();
        _time.Advance(Step);

        using var first = await _client.DeleteAsync($"{SandboxApi.Deployments}/{id}");
        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal("DELETING", await _client.StateAsync(id));

        using var second = await _client.DeleteAsync($"{SandboxApi.Deployments}/{id}");
        await second.AssertProblemAsync(HttpStatusCode.Conflict, "conflict-deployment-state");

        _time.Advance(Step);
        Assert.Equal("DELETED", await _client.StateAsync(id));
    }

    [Fact]
    public async Task NumberInUse_HoldsWhileDeleting_AndEndsWhenDeleted()
    {
        var number = SandboxApi.UniqueNumber();
        var id = await _client.ProvisionAsync(number);
        using var deleting = await _client.DeleteAsync($"{SandboxApi.Deployments}/{id}");

        using var refused = await _client.PostAsJsonAsync(SandboxApi.Deployments, SandboxApi.ProvisionBody(number));
        await refused.AssertProblemAsync(HttpStatusCode.Conflict, "number-in-use");

        _time.Advance(Step);
        await _client.ProvisionAsync(number);
    }

    [Fact]
    public async Task OperationsBeforeReady_AreConflictDeploymentState()
    {
        var id = await _client.ProvisionAsync();

        using var profile = await _client.GetAsync($"{SandboxApi.Deployments}/{id}/profile");
        await profile.AssertProblemAsync(HttpStatusCode.Conflict, "conflict-deployment-state");
        using var photo = await _client.PostAsJsonAsync($"{SandboxApi.Deployments}/{id}/profile/photo", new { image_url = "https://example.com/a.png" });
        await photo.AssertProblemAsync(HttpStatusCode.Conflict, "conflict-deployment-state");
        using var packs = await _client.GetAsync($"{SandboxApi.Deployments}/{id}/stickerpacks");
        await packs.AssertProblemAsync(HttpStatusCode.Conflict, "conflict-deployment-state");
        using var verify = await _client.VerifyAsync(id, "123456");
        await verify.AssertProblemAsync(HttpStatusCode.Conflict, "conflict-deployment-state");
        using var resend = await _client.PostAsync($"{SandboxApi.Deployments}/{id}/resend-otp", null);
        await resend.AssertProblemAsync(HttpStatusCode.Conflict, "conflict-deployment-state");
    }

    [Fact]
    public async Task Resend_IsThrottledUntilTheCooldownHasPassed()
    {
        var id = await _client.ProvisionAsync();
        _time.Advance(Step * 3);

        using var early = await _client.PostAsync($"{SandboxApi.Deployments}/{id}/resend-otp", null);
        await early.AssertProblemAsync(HttpStatusCode.TooManyRequests, "throttled");
        Assert.Equal(TimeSpan.FromSeconds(2), early.Headers.RetryAfter?.Delta);

        _time.Advance(TimeSpan.FromSeconds(2));
        using var later = await _client.PostAsync($"{SandboxApi.Deployments}/{id}/resend-otp", null);
        Assert.Equal(HttpStatusCode.Accepted, later.StatusCode);
    }

    [Fact]
    public async Task TokenWithoutExp_ExpiresFifteenMinutesLaterOnTheSandboxClock()
    {
        using var client = new HttpClient { BaseAddress = _host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", SharedApplication.MintToken(issuedAt: _time.GetUtcNow()));
        using var fresh = await client.GetAsync($"{SandboxApi.Deployments}/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, fresh.StatusCode);

        _time.Advance(TimeSpan.FromMinutes(16));

        using var stale = await client.GetAsync($"{SandboxApi.Deployments}/{Guid.NewGuid()}");
        await stale.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }
}
