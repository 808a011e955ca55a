using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WabaOrchestrator.Api.Tests.Infrastructure;
using WabaOrchestrator.Testing;

namespace WabaOrchestrator.Api.Tests.Onboardings;

/// <summary><c>GET /api/onboardings/{id}/timeline</c>, <c>showHistory=true</c> and what the status says once an onboarding ended.</summary>
public sealed class OnboardingTimelineEndpointTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private HttpClient Client => fixture.Client;

    [Theory]
    [InlineData("api/onboardings/waba-440000000000/timeline")]
    [InlineData("api/onboardings/waba-440000000000?showHistory=true")]
    public async Task Timeline_UnknownOnboarding_Is404Problem(string path)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Timeline_OfAWrongThenTheRightCode_ShowsEachCodeAndEndsWithTheOutputsTimeline()
    {
        var id = (await OnboardingApi.StartAsync(Client, ApiHostFixture.NewNumber())).GetProperty("id").GetString()!;
        var deploymentId = await OnboardingApi.WaitForOtpAsync(Client, id);
        var code = await OnboardingApi.SandboxCodeAsync(fixture.Host, deploymentId);
        var wrong = code == "111111" ? "222222" : "111111";

        var waiting = await TimelineAsync(id);
        Assert.Equal("Running", waiting.GetProperty("runtimeStatus").GetString());
        Assert.Equal("WaitingForOtp", Entries(waiting).Last(e => Kind(e) == "stage").GetProperty("stage").GetString());

        await SubmitAsync(id, wrong);
        await Poll.UntilAsync(async () => Entries(await TimelineAsync(id)).Any(e => Kind(e) == "otp_received"), "the wrong code in the timeline");
        await SubmitAsync(id, code);
        var done = await OnboardingApi.WaitForStatusAsync(Client, id, "Completed");

        var timeline = await TimelineAsync(id);
        var entries = Entries(timeline);
        Assert.Equal(
            [("operator", "wrong"), ("operator", "verified")],
            entries.Where(e => Kind(e) == "otp_received").Select(e => (e.GetProperty("source").GetString(), e.GetProperty("verdict").GetString())));
        var refused = entries.Single(e => Kind(e) == "vonage_call" && e.GetProperty("outcome").GetString() == "WrongCode");
        Assert.Equal(422, refused.GetProperty("http_status").GetInt32());
        Assert.Equal("verification-failed", refused.GetProperty("error_code").GetString());
        Assert.Equal("Completed", entries[^1].GetProperty("stage").GetString());
        Assert.Equal(done.GetProperty("output").GetProperty("timeline").GetRawText(), timeline.GetProperty("timeline").GetRawText());
        Assert.DoesNotContain(code, timeline.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, timeline.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_WithShowHistory_AddsTheTimeline_AndWithoutItKeepsTheStatusSmall()
    {
        var id = (await OnboardingApi.StartAsync(Client, ApiHostFixture.NewNumber())).GetProperty("id").GetString()!;
        await OnboardingApi.WaitForOtpAsync(Client, id);

        var plain = await OnboardingApi.GetAsync(Client, id);
        using var response = await Client.GetAsync($"api/onboardings/{id}?showHistory=true");
        var withHistory = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.False(plain!.Value.TryGetProperty("timeline", out _));
        Assert.False(plain.Value.GetProperty("customStatus").TryGetProperty("timeline", out _));
        Assert.False(withHistory.GetProperty("customStatus").TryGetProperty("timeline", out _));
        var stages = withHistory.GetProperty("timeline").GetProperty("entries").EnumerateArray()
            .Where(e => Kind(e) == "stage").Select(e => e.GetProperty("stage").GetString());
        Assert.Equal(["Provisioning", "WaitingForCluster", "WaitingForOtp"], stages);
        Assert.Equal(0, withHistory.GetProperty("timeline").GetProperty("dropped").GetInt32());
    }

    [Fact]
    public async Task Cancel_OutputShowsTheDeletedDeploymentAndTheReason_AndTheTimelineEndsWithThem()
    {
        var id = (await OnboardingApi.StartAsync(Client, ApiHostFixture.NewNumber())).GetProperty("id").GetString()!;
        await OnboardingApi.WaitForOtpAsync(Client, id);

        using (var cancel = await Client.DeleteAsync($"api/onboardings/{id}?reason=wrong+number"))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }

        var done = await OnboardingApi.WaitForStatusAsync(Client, id, "Completed");
        var output = done.GetProperty("output");
        Assert.Equal(("Cancelled", "DELETED", "wrong number"), (output.GetProperty("stage").GetString(), output.GetProperty("state").GetString(), output.GetProperty("reason").GetString()));
        Assert.Equal("wrong number", done.GetProperty("customStatus").GetProperty("reason").GetString());
        var last = Entries(await TimelineAsync(id))[^3..];
        Assert.Equal(
            [("cancel_requested", "wrong number"), ("vonage_call", "Deleted"), ("stage", "Cancelled")],
            last.Select(e => (Kind(e), e.TryGetProperty("detail", out var d) ? d.GetString() : e.TryGetProperty("outcome", out var o) ? o.GetString() : e.GetProperty("stage").GetString())));
    }

    [Fact]
    public async Task Terminate_StatusShowsStageTerminatedWithTheReason_AndTheTimelineEndsWithIt()
    {
        var id = (await OnboardingApi.StartAsync(Client, ApiHostFixture.NewNumber())).GetProperty("id").GetString()!;
        await OnboardingApi.WaitForOtpAsync(Client, id);

        using (var terminate = await Client.PostAsync($"api/onboardings/{id}/terminate?reason=stuck", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, terminate.StatusCode);
        }

        var done = await OnboardingApi.WaitForStatusAsync(Client, id, "Terminated");
        var status = done.GetProperty("customStatus");
        Assert.Equal("Terminated", status.GetProperty("stage").GetString());
        Assert.Equal("stuck", status.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("otp").ValueKind);
        Assert.Equal(JsonValueKind.Null, status.GetProperty("next_poll_at").ValueKind);
        var last = Entries(await TimelineAsync(id))[^1];
        Assert.Equal(("terminated", "stuck"), (Kind(last), last.GetProperty("detail").GetString()));
        Assert.Equal(done.GetProperty("lastUpdatedTime").GetDateTimeOffset(), last.GetProperty("at").GetDateTimeOffset());
    }

    private async Task SubmitAsync(string id, string code)
    {
        using var response = await Client.PostAsJsonAsync($"api/onboardings/{id}/otp", new { code });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private async Task<JsonElement> TimelineAsync(string id)
    {
        using var response = await Client.GetAsync($"api/onboardings/{id}/timeline");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, body.GetProperty("instanceId").GetString());
        return body;
    }

    private static JsonElement[] Entries(JsonElement timelineView) => [.. timelineView.GetProperty("timeline").GetProperty("entries").EnumerateArray()];

    private static string? Kind(JsonElement entry) => entry.GetProperty("kind").GetString();
}
