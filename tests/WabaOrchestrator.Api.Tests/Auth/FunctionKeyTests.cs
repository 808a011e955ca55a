using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WabaOrchestrator.Api.Tests.Infrastructure;

namespace WabaOrchestrator.Api.Tests.Auth;

public sealed class FunctionKeyTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    [Theory]
    [InlineData("api/onboardings")]
    [InlineData("api/onboardings/waba-447700900001")]
    [InlineData("api/deployments/00000000-0000-0000-0000-000000000000")]
    [InlineData("api/wabas/123456/templates")]
    public async Task KeyedRoute_WithoutKey_Is401ProblemJson(string path)
    {
        using var client = fixture.Host.CreateClient(apiKey: null);
        using var response = await client.GetAsync(path);
        await AssertUnauthorizedAsync(response);
    }

    [Fact]
    public async Task KeyedRoute_WithWrongHeaderKey_Is401()
    {
        using var client = fixture.Host.CreateClient(apiKey: "wrong-key-0123456789");
        using var response = await client.GetAsync("api/onboardings");
        await AssertUnauthorizedAsync(response);
    }

    [Fact]
    public async Task KeyedRoute_WithWrongCodeParameter_Is401()
    {
        using var client = fixture.Host.CreateClient(apiKey: null);
        using var response = await client.GetAsync("api/onboardings?code=wrong-key-0123456789");
        await AssertUnauthorizedAsync(response);
    }

    [Fact]
    public async Task KeyedRoute_WithTheRightKeyInCodeParameter_Is401_KeysGoInTheHeaderOnly()
    {
        using var client = fixture.Host.CreateClient(apiKey: null);
        using var response = await client.GetAsync($"api/onboardings?code={ApiHost.ApiKey}");
        await AssertUnauthorizedAsync(response);
        Assert.Contains("x-functions-key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyedRoute_WithKeyInCodeParameter_IsServedOnlyWhenAllowQueryKeyIsSet()
    {
        await using var host = await ApiHost.StartAsync(new() { Settings = new Dictionary<string, string?> { ["Auth:AllowQueryKey"] = "true" } });
        using var client = host.CreateClient(apiKey: null);
        using var response = await client.GetAsync($"api/onboardings?code={ApiHost.ApiKey}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task KeyedRoute_WithKeyInHeader_IsServed()
    {
        using var response = await fixture.Client.GetAsync("api/onboardings");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Start_WithoutKey_StartsNothing()
    {
        using var client = fixture.Host.CreateClient(apiKey: null);
        var number = ApiHostFixture.NewNumber();
        using var response = await client.PostAsJsonAsync("api/onboardings", OnboardingApi.Request(number));
        await AssertUnauthorizedAsync(response);
        Assert.Null(await OnboardingApi.GetAsync(fixture.Client, "waba-44" + number));
    }

    [Fact]
    public async Task Webhook_NeedsNoKey_ButASignature()
    {
        using var client = fixture.Host.CreateClient(apiKey: null);
        using var response = await client.PostAsJsonAsync("api/webhooks/vonage/inbound-sms", new { to = "447700900001", messageId = "m1", text = "123-456" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("not signed", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Contains("x-functions-key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
