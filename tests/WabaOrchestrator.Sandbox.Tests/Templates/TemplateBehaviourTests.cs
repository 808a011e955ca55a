using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using WabaOrchestrator.Sandbox.Tests.Infrastructure;

namespace WabaOrchestrator.Sandbox.Tests.Templates;

/// <summary>
/// The shared Vonage behaviour (auth, injected faults, statistics) as it applies to the template and
/// media endpoints: errors there take the Template Management shape.
/// </summary>
public sealed class TemplateBehaviourTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    public static TheoryData<string, string> Operations => new()
    {
        { "GET", "v2/whatsapp-manager/wabas/1/templates" },
        { "POST", "v2/whatsapp-manager/wabas/1/templates" },
        { "DELETE", "v2/whatsapp-manager/wabas/1/templates?name=sample_issue_resolution" },
        { "GET", "v2/whatsapp-manager/wabas/1/templates/1" },
        { "PUT", "v2/whatsapp-manager/wabas/1/templates/1" },
        { "POST", "v2/whatsapp-manager/media/uploads?file_type=image/png" },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task AnyOperation_WhenThrottled_Is429With1000AndRetryAfter(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("X-Sandbox-Fault", "throttled");

        using var response = await fixture.Client.SendAsync(request);

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.TooManyRequests, "1000");
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task AnyOperation_WithAnInjectedError_Is500With1030(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("X-Sandbox-Fault", "error");

        using var response = await fixture.Client.SendAsync(request);

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.InternalServerError, "1030");
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task AnyOperation_WithoutAToken_Is401InTheTemplateShape(string method, string path)
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.NotNull(problem["instance_id"]);
    }

    [Fact]
    public async Task Stats_CountTemplateOperationsByRouteAndStatus()
    {
        var waba = TemplateApi.NewWaba();
        await fixture.Client.CreateAsync(waba, TemplateApi.Valid("counted"));
        using var missing = await fixture.Client.GetAsync($"{TemplateApi.Templates(waba)}/1");

        var stats = (await fixture.Client.GetFromJsonAsync<JsonObject>("_sandbox/stats"))!;

        Assert.True(stats["POST /v2/whatsapp-manager/wabas/{id}/templates"]!["200"]!.GetValue<int>() >= 1, stats.ToJsonString());
        Assert.True(stats["GET /v2/whatsapp-manager/wabas/{id}/templates/{template_id}"]!["404"]!.GetValue<int>() >= 1, stats.ToJsonString());
    }
}
