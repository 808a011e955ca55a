using System.Net;
using System.Net.Http.Json;
using static WabaOrchestrator.Api.Tests.Proxies.ProxyAssert;

namespace WabaOrchestrator.Api.Tests.Proxies;

/// <summary>One retry after a 429, so "once the client's retries are spent" is two attempts at the sandbox.</summary>
public sealed class OneRetryStack : ProxyStack
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Vonage:Resilience:MaxRetryAttempts"] = "1" };
}

public sealed class VonageFailureTests(OneRetryStack stack) : IClassFixture<OneRetryStack>, IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await SetFaultsAsync(throttleRate: 0, errorRate: 0);

    [Fact]
    public async Task Throttled_AfterRetriesAreSpent_Relays429WithRetryAfterAndVonagesBody()
    {
        await SetFaultsAsync(throttleRate: 1, errorRate: 0);
        var before = await TemplateListAttemptsAsync();

        var response = await stack.Api.GetAsync("api/wabas/1234567/templates");

        var problem = await ProblemAsync(response, HttpStatusCode.TooManyRequests);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.EndsWith("#1000", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, await TemplateListAttemptsAsync() - before);
    }

    [Fact]
    public async Task ServerError_RelaysVonages500Body_NotOneOfOurs()
    {
        await SetFaultsAsync(throttleRate: 0, errorRate: 1);

        var problem = await ProblemAsync(await stack.Api.GetAsync("api/deployments/some-deployment"), HttpStatusCode.InternalServerError);

        Assert.Contains("developer.nexmo.com", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_Is502NamingVonage()
    {
        // Port 9 (discard) has no listener on loopback: every attempt is refused.
        await using var host = await ProxyStack.StartAsync(new Dictionary<string, string?> { ["Vonage:BaseUrl"] = "http://127.0.0.1:9/" });

        var problem = await ProblemAsync(await host.Client.GetAsync("api/wabas/1234567/templates"), HttpStatusCode.BadGateway);

        Assert.EndsWith("#vonage-unreachable", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    private async Task SetFaultsAsync(double throttleRate, double errorRate) =>
        (await stack.Host.SandboxClient.PostAsJsonAsync("_sandbox/faults", new Dictionary<string, double> { ["throttle_rate"] = throttleRate, ["error_rate"] = errorRate })).EnsureSuccessStatusCode();

    private async Task<int> TemplateListAttemptsAsync() =>
        (await stack.Host.SandboxStatsAsync())
            .Where(op => op.Key.StartsWith("GET ", StringComparison.Ordinal) && op.Key.EndsWith("/templates", StringComparison.Ordinal))
            .Sum(op => op.Value.Values.Sum());
}
