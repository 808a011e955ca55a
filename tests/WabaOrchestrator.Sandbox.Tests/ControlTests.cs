using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WabaOrchestrator.Sandbox.Control;
using WabaOrchestrator.Sandbox.Tests.Infrastructure;

namespace WabaOrchestrator.Sandbox.Tests;

/// <summary>Stats, faults and reset: each test owns its sandbox because these are global to it.</summary>
public sealed class ControlTests : IAsyncLifetime
{
    // One key pair for the class: generating RSA keys per test is the slowest part of a test.
    private static readonly TestApplication SharedApplication = new();
    private readonly TestApplication _application = SharedApplication;
    private SandboxHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await SandboxFixture.StartAsync(_application);
        _client = new HttpClient { BaseAddress = _host.BaseAddress };
        _client.DefaultRequestHeaders.Authorization = new("Bearer", _application.MintToken(lifetime: TimeSpan.FromHours(1)));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<JsonElement> StatsAsync() => await _client.GetFromJsonAsync<JsonElement>("_sandbox/stats");

    [Fact]
    public async Task Stats_CountResponsesByRouteTemplateAndStatus()
    {
        var number = SandboxApi.UniqueNumber();
        var id = await _client.ProvisionAsync(number);
        using var conflict = await _client.PostAsJsonAsync(SandboxApi.Deployments, SandboxApi.ProvisionBody(number));
        using var got = await _client.GetAsync($"{SandboxApi.Deployments}/{id}");
        using var missing = await _client.GetAsync($"{SandboxApi.Deployments}/{Guid.NewGuid()}");
        using var anonymous = new HttpClient { BaseAddress = _host.BaseAddress };
        using var unauthorized = await anonymous.GetAsync($"{SandboxApi.Deployments}/{id}");

        var stats = await StatsAsync();

        var provision = stats.GetProperty("POST /v0.1/whatsapp-manager/deployments");
        Assert.Equal(1, provision.GetProperty("202").GetInt32());
        Assert.Equal(1, provision.GetProperty("409").GetInt32());
        var get = stats.GetProperty("GET /v0.1/whatsapp-manager/deployments/{deployment_id}");
        Assert.Equal(1, get.GetProperty("200").GetInt32());
        Assert.Equal(1, get.GetProperty("404").GetInt32());
        Assert.Equal(1, get.GetProperty("401").GetInt32());
    }

    [Fact]
    public async Task FaultHeader_Throttled_Is429WithRetryAfter()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{SandboxApi.Deployments}/{Guid.NewGuid()}");
        request.Headers.Add("X-Sandbox-Fault", "throttled");

        using var response = await _client.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.TooManyRequests, "throttled");
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task FaultHeader_Error_Is500InTheV01Shape()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, SandboxApi.Deployments) { Content = JsonContent.Create(SandboxApi.ProvisionBody()) };
        request.Headers.Add("X-Sandbox-Fault", "error");

        using var response = await _client.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.InternalServerError, "internal-error");
        Assert.Equal(0, (await StatsAsync()).GetProperty("POST /v0.1/whatsapp-manager/deployments").TryGetProperty("202", out _) ? 1 : 0);
    }

    [Fact]
    public async Task FaultHeader_WithAnUnknownValue_NamesTheHeader()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{SandboxApi.Deployments}/{Guid.NewGuid()}");
        request.Headers.Add("X-Sandbox-Fault", "meltdown");

        using var response = await _client.SendAsync(request);

        Assert.Equal(["X-Sandbox-Fault"], (await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "unprocessable")).InvalidParameterNames());
    }

    [Fact]
    public async Task FaultSettings_ThrottleEveryRequest_UntilCleared()
    {
        using var set = await _client.PostAsJsonAsync("_sandbox/faults", new { throttle_rate = 1.0 });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);

        using var throttled = await _client.GetAsync($"{SandboxApi.Deployments}/{Guid.NewGuid()}");
        await throttled.AssertProblemAsync(HttpStatusCode.TooManyRequests, "throttled");
        Assert.NotNull(throttled.Headers.RetryAfter);

        using var cleared = await _client.PostAsJsonAsync("_sandbox/faults", new { throttle_rate = 0 });
        using var normal = await _client.GetAsync($"{SandboxApi.Deployments}/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, normal.StatusCode);
    }

    [Fact]
    public async Task FaultSettings_ErrorRateAndLatency_AreReportedBack()
    {
        using var set = await _client.PostAsJsonAsync("_sandbox/faults", new { error_rate = 1, latency_ms = 5 });
        var settings = await set.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, settings.GetProperty("error_rate").GetDouble());
        Assert.Equal(5, settings.GetProperty("latency_ms").GetInt32());

        using var failed = await _client.GetAsync($"{SandboxApi.Deployments}/{Guid.NewGuid()}");
        await failed.AssertProblemAsync(HttpStatusCode.InternalServerError, "internal-error");
        Assert.Equal(5, (await _client.GetFromJsonAsync<JsonElement>("_sandbox/faults")).GetProperty("latency_ms").GetInt32());
    }

    [Fact]
    public async Task FaultSettings_OutOfRange_NameEachField()
    {
        using var response = await _client.PostAsJsonAsync("_sandbox/faults", new { throttle_rate = 2, error_rate = "often", latency_ms = 1.5 });

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "unprocessable");
        Assert.Equal(["throttle_rate", "error_rate", "latency_ms"], problem.InvalidParameterNames());
    }

    [Fact]
    public async Task Reset_ForgetsDeploymentsStatsFaultsAndRegisteredApplications()
    {
        var id = await _client.ProvisionAsync();
        using var faults = await _client.PostAsJsonAsync("_sandbox/faults", new { latency_ms = 1 });
        using var other = new TestApplication();
        using var registered = await _client.PostAsJsonAsync("_sandbox/applications", new { application_id = other.ApplicationId, public_key = other.PublicKeyPem });

        using var reset = await _client.PostAsync("_sandbox/reset", null);

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Empty((await StatsAsync()).EnumerateObject());
        Assert.Equal(0, (await _client.GetFromJsonAsync<JsonElement>("_sandbox/faults")).GetProperty("latency_ms").GetInt32());
        var applications = (await _client.GetFromJsonAsync<JsonElement>("_sandbox/applications")).GetProperty("applications");
        Assert.Equal([_application.ApplicationId], applications.EnumerateArray().Select(a => a.GetString()));
        using var gone = await _client.GetAsync($"{SandboxApi.Deployments}/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }
}

/// <summary>The sandbox mounted under a prefix, as the local host embeds it, with a v2 endpoint of its own.</summary>
public sealed class EmbeddedSandboxTests : IAsyncLifetime
{
    private readonly TestApplication _application = new();
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddVonageSandbox();
        builder.Services.PostConfigure<SandboxOptions>(o =>
        {
            o.StepDelay = TimeSpan.FromMilliseconds(20);
            o.Applications.Add(new SandboxApplication { ApplicationId = _application.ApplicationId, PublicKey = _application.PublicKeyPem });
        });
        _app = builder.Build();
        var sandbox = _app.MapGroup("/sandbox");
        sandbox.MapVonageSandbox();
        sandbox.MapGroup("").WithVonageBehaviour().MapGet("/v2/test/{thing}", (string thing) => thing == "boom"
            ? throw new InvalidOperationException("boom")
            : Results.Ok());
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address + "/sandbox/") };
        _client.DefaultRequestHeaders.Authorization = new("Bearer", _application.MintToken(lifetime: TimeSpan.FromHours(1)));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        _application.Dispose();
    }

    [Fact]
    public async Task UnderAPrefix_StatsKeysAreRelativeToTheSandboxRoot()
    {
        await _client.ReadyDeploymentAsync();
        using var v2 = await _client.GetAsync("v2/test/ok");

        var stats = await _client.GetFromJsonAsync<JsonElement>("_sandbox/stats");

        Assert.True(stats.TryGetProperty("POST /v0.1/whatsapp-manager/deployments/{deployment_id}/verify", out _));
        Assert.Equal(1, stats.GetProperty("GET /v2/test/{thing}").GetProperty("200").GetInt32());
    }

    [Fact]
    public async Task V2Endpoints_GetTemplateApiErrorShapes()
    {
        using var anonymous = new HttpClient { BaseAddress = _client.BaseAddress };
        using var unauthorized = await anonymous.GetAsync("v2/test/ok");
        await AssertTemplateProblem(unauthorized, HttpStatusCode.Unauthorized, "unauthorized");

        using var throttled = new HttpRequestMessage(HttpMethod.Get, "v2/test/ok");
        throttled.Headers.Add("X-Sandbox-Fault", "throttled");
        using var throttledResponse = await _client.SendAsync(throttled);
        await AssertTemplateProblem(throttledResponse, HttpStatusCode.TooManyRequests, "1000");
        Assert.NotNull(throttledResponse.Headers.RetryAfter);

        using var error = new HttpRequestMessage(HttpMethod.Get, "v2/test/ok");
        error.Headers.Add("X-Sandbox-Fault", "error");
        await AssertTemplateProblem(await _client.SendAsync(error), HttpStatusCode.InternalServerError, "1030");
    }

    [Fact]
    public async Task UnhandledException_BecomesTheApisOwn500()
    {
        using var response = await _client.GetAsync("v2/test/boom");
        await AssertTemplateProblem(response, HttpStatusCode.InternalServerError, "1030");
    }

    private static async Task AssertTemplateProblem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.EndsWith("#" + code, problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("instance_id").GetString()));
        Assert.False(problem.TryGetProperty("instance", out _));
        response.Dispose();
    }
}
