using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Api.Tests.Infrastructure;
using WabaOrchestrator.Testing;
using WabaOrchestrator.Vonage.Deployments;

namespace WabaOrchestrator.Api.Tests.Onboardings;

public sealed class OnboardingEndpointTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Start_Valid_Is202WithLocationAndManagementLinks()
    {
        var number = ApiHostFixture.NewNumber();
        using var response = await Client.PostAsJsonAsync("api/onboardings", OnboardingApi.Request(number));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = "waba-44" + number;
        var status = new Uri(fixture.Host.BaseAddress, $"api/onboardings/{id}").AbsoluteUri;
        Assert.Equal(id, body.GetProperty("id").GetString());
        Assert.Equal(status, body.GetProperty("statusQueryGetUri").GetString());
        Assert.Equal(status + "/otp", body.GetProperty("sendEventPostUri").GetString());
        Assert.Equal(status + "/terminate", body.GetProperty("terminatePostUri").GetString());
        Assert.Equal(status + "/history", body.GetProperty("purgeHistoryDeleteUri").GetString());
        Assert.Equal(status, response.Headers.Location!.AbsoluteUri);
    }

    [Fact]
    public async Task Start_BehindAProxy_LinksUseTheForwardedOrigin()
    {
        var number = ApiHostFixture.NewNumber();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/onboardings") { Content = JsonContent.Create(OnboardingApi.Request(number)) };
        request.Headers.Add("X-Forwarded-Host", "waba.example.com");
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await Client.SendAsync(request);

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"https://waba.example.com/api/onboardings/waba-44{number}", body.GetProperty("statusQueryGetUri").GetString());
    }

    [Fact]
    public async Task Start_NumberAlreadyOnboarding_Is409WithTheRunningInstanceLinks()
    {
        var number = ApiHostFixture.NewNumber();
        await OnboardingApi.StartAsync(Client, number);

        using var response = await Client.PostAsJsonAsync("api/onboardings", OnboardingApi.Request(number));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("waba-44" + number, problem.GetProperty("id").GetString());
        Assert.EndsWith($"/api/onboardings/waba-44{number}", problem.GetProperty("statusQueryGetUri").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/otp", problem.GetProperty("sendEventPostUri").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_InvalidFields_Is422NamingEachWithoutCallingVonageOrStarting()
    {
        // Its own stack: onboardings of other tests keep calling the shared sandbox in the background.
        await using var host = await ApiHost.StartAsync();
        using var response = await host.Client.PostAsJsonAsync("api/onboardings", new { country_code = "4x", number = "12", method = "fax", waba_id = "" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var names = problem.GetProperty("invalid_parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Contains("country_code", names);
        Assert.Contains("vname_certificate", names);
        Assert.Contains("method", names);
        Assert.Contains("waba_id", names);
        Assert.DoesNotContain((await host.SandboxStatsAsync()).Keys, key => key.Contains("whatsapp-manager", StringComparison.Ordinal));
        var list = await host.Client.GetFromJsonAsync<JsonElement>("api/onboardings");
        Assert.Equal(0, list.GetProperty("instances").GetArrayLength());
    }

    [Theory]
    [InlineData("{\"country_code\":44}", "country_code")]
    [InlineData("{\"number\":[1]}", "number")]
    [InlineData("{\"otp\":{\"max_resends\":\"many\"}}", "otp.max_resends")]
    [InlineData("{\"otp\":{\"max_resends\":\"3\"}}", "otp.max_resends")]
    [InlineData("{\"country_code\":", null)]
    [InlineData("[]", null)]
    public async Task Start_MalformedJson_Is400NamingTheField(string json, string? field)
    {
        using var response = await Client.PostAsync("api/onboardings", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (field is not null)
        {
            Assert.Equal(field, problem.GetProperty("invalid_parameters")[0].GetProperty("name").GetString());
        }
    }

    [Fact]
    public async Task Start_NotJson_Is415()
    {
        using var response = await Client.PostAsync("api/onboardings", new StringContent("number=1", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Start_BodyOverOneMegabyte_Is413Problem()
    {
        var json = "{\"vname_certificate\":\"" + new string('a', 1_100_000) + "\"}";
        using var response = await Client.PostAsync("api/onboardings", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Get_Unknown_Is404Problem()
    {
        using var response = await Client.GetAsync("api/onboardings/waba-440000000000");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Otp_TypedCode_CompletesTheOnboardingInDurableShape()
    {
        var number = ApiHostFixture.NewNumber();
        var id = (await OnboardingApi.StartAsync(Client, number)).GetProperty("id").GetString()!;
        var deploymentId = await OnboardingApi.WaitForOtpAsync(Client, id);
        var code = await OnboardingApi.SandboxCodeAsync(fixture.Host, deploymentId);

        using var response = await Client.PostAsJsonAsync($"api/onboardings/{id}/otp", new { code = code[..3] + "-" + code[3..] });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var done = await OnboardingApi.WaitForStatusAsync(Client, id, "Completed");
        Assert.Equal("OnboardingOrchestrator", done.GetProperty("name").GetString());
        Assert.Equal(id, done.GetProperty("instanceId").GetString());
        Assert.Equal("READY", done.GetProperty("output").GetProperty("state").GetString());
        Assert.True(done.GetProperty("lastUpdatedTime").GetDateTimeOffset() >= done.GetProperty("createdTime").GetDateTimeOffset());
        Assert.False(done.TryGetProperty("input", out _));
        Assert.DoesNotContain(code, done.GetRawText(), StringComparison.Ordinal);

        using var late = await Client.PostAsJsonAsync($"api/onboardings/{id}/otp", new { code = "123456" });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("12a456")]
    [InlineData("")]
    [InlineData(null)]
    public async Task Otp_MalformedCode_Is422NamingCode(string? code)
    {
        var id = (await OnboardingApi.StartAsync(Client, ApiHostFixture.NewNumber())).GetProperty("id").GetString()!;
        using var response = await Client.PostAsJsonAsync($"api/onboardings/{id}/otp", new { code });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("code", problem.GetProperty("invalid_parameters")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Otp_UnknownOnboarding_Is404()
    {
        using var response = await Client.PostAsJsonAsync("api/onboardings/waba-440000000000/otp", new { code = "123456" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Cancel_DeletesTheDeploymentAtVonageAndEndsCancelled()
    {
        var id = (await OnboardingApi.StartAsync(Client, ApiHostFixture.NewNumber())).GetProperty("id").GetString()!;
        var deploymentId = await OnboardingApi.WaitForOtpAsync(Client, id);

        using var response = await Client.DeleteAsync($"api/onboardings/{id}?reason=changed+my+mind");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var done = await OnboardingApi.WaitForStatusAsync(Client, id, "Completed");
        Assert.Equal("Cancelled", done.GetProperty("output").GetProperty("stage").GetString());
        var deployments = fixture.Host.Services.GetRequiredService<IDeploymentsClient>();
        await Poll.UntilAsync(async () => (await deployments.GetAsync(deploymentId)).State == DeploymentState.Deleted, "the deployment to be DELETED");

        using var again = await Client.DeleteAsync($"api/onboardings/{id}");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task ResendNow_WhileWaiting_GetsANewCode_ThenIs409WithNoResendsLeft()
    {
        var number = ApiHostFixture.NewNumber();
        using var started = await Client.PostAsJsonAsync("api/onboardings", new
        {
            country_code = "44", number, vname_certificate = "cert", method = "voice", waba_id = "123456", otp = new { max_resends = 1 },
        });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var deploymentId = await OnboardingApi.WaitForOtpAsync(Client, id);

        using var resend = await Client.PostAsync($"api/onboardings/{id}/resend", null);
        Assert.Equal(HttpStatusCode.Accepted, resend.StatusCode);
        await Poll.UntilAsync(async () => await OnboardingApi.GetAsync(Client, id) is { } o
            && o.GetProperty("customStatus").TryGetProperty("otp", out var otp) && otp.ValueKind == JsonValueKind.Object
            && otp.GetProperty("resends").GetInt32() == 1 && o.GetProperty("customStatus").GetProperty("stage").GetString() == "WaitingForOtp", "the resend to be made");

        using var none = await Client.PostAsync($"api/onboardings/{id}/resend", null);
        Assert.Equal(HttpStatusCode.Conflict, none.StatusCode);
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no resends left", (await none.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var code = await OnboardingApi.SandboxCodeAsync(fixture.Host, deploymentId);
        using var otpResponse = await Client.PostAsJsonAsync($"api/onboardings/{id}/otp", new { code });
        Assert.Equal(HttpStatusCode.Accepted, otpResponse.StatusCode);
        var done = await OnboardingApi.WaitForStatusAsync(Client, id, "Completed");
        Assert.Equal("READY", done.GetProperty("output").GetProperty("state").GetString());
        var timeline = done.GetProperty("output").GetProperty("timeline").GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Contains("resend_requested", timeline);
        Assert.Contains("otp_resent", timeline);

        using var finished = await Client.PostAsync($"api/onboardings/{id}/resend", null);
        Assert.Equal(HttpStatusCode.Conflict, finished.StatusCode);
    }

    [Fact]
    public async Task ResendNow_Unknown_Is404()
    {
        using var response = await Client.PostAsync("api/onboardings/waba-440000000000/resend", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Cancel_Unknown_Is404()
    {
        using var response = await Client.DeleteAsync("api/onboardings/waba-440000000000");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task TerminateThenPurge_StopsWithoutCleanUpThenForgetsTheInstance()
    {
        var id = (await OnboardingApi.StartAsync(Client, ApiHostFixture.NewNumber())).GetProperty("id").GetString()!;
        var deploymentId = await OnboardingApi.WaitForOtpAsync(Client, id);

        using (var running = await Client.DeleteAsync($"api/onboardings/{id}/history"))
        {
            Assert.Equal(HttpStatusCode.Conflict, running.StatusCode);
        }

        using (var terminate = await Client.PostAsync($"api/onboardings/{id}/terminate?reason=test", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, terminate.StatusCode);
        }

        await OnboardingApi.WaitForStatusAsync(Client, id, "Terminated");
        // A hard stop: nothing was deleted at Vonage.
        var deployment = await fixture.Host.Services.GetRequiredService<IDeploymentsClient>().GetAsync(deploymentId);
        Assert.NotEqual(DeploymentState.Deleted, deployment.State);

        using (var again = await Client.PostAsync($"api/onboardings/{id}/terminate", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        using (var purge = await Client.DeleteAsync($"api/onboardings/{id}/history"))
        {
            Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
            Assert.Equal(1, (await purge.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("instancesDeleted").GetInt32());
        }

        Assert.Null(await OnboardingApi.GetAsync(Client, id));
        using var purgedAgain = await Client.DeleteAsync($"api/onboardings/{id}/history");
        Assert.Equal(HttpStatusCode.NotFound, purgedAgain.StatusCode);
    }

    [Fact]
    public async Task List_FiltersByStatusAndStage_AndPagesWithContinuationTokens()
    {
        var prefix = "waba-44" + ApiHostFixture.NewNumber()[..5];
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var id = (await OnboardingApi.StartAsync(Client, ApiHostFixture.NewNumber())).GetProperty("id").GetString()!;
            await OnboardingApi.WaitForOtpAsync(Client, id);
            ids.Add(id);
        }

        using (var terminate = await Client.PostAsync($"api/onboardings/{ids[0]}/terminate", null))
        {
            await OnboardingApi.WaitForStatusAsync(Client, ids[0], "Terminated");
        }

        var terminated = await ListIdsAsync("api/onboardings?runtimeStatus=Terminated&top=1000");
        Assert.Contains(ids[0], terminated);
        Assert.DoesNotContain(ids[1], terminated);

        var waiting = await ListIdsAsync("api/onboardings?runtimeStatus=Running,Pending&stage=WaitingForOtp&top=1000");
        Assert.Contains(ids[1], waiting);
        Assert.Contains(ids[2], waiting);
        Assert.DoesNotContain(ids[0], waiting);

        // Paging: two at a time until the token runs out, every instance seen once.
        var seen = new List<string>();
        string? token = null;
        do
        {
            var url = "api/onboardings?top=2" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token));
            using var response = await Client.GetAsync(url);
            var page = await response.Content.ReadFromJsonAsync<JsonElement>();
            var instances = page.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("instanceId").GetString()!).ToList();
            Assert.True(instances.Count <= 2);
            seen.AddRange(instances);
            token = page.GetProperty("continuationToken").GetString();
            Assert.Equal(token, response.Headers.TryGetValues("x-ms-continuation-token", out var header) ? header.Single() : null);
        }
        while (token is not null);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Superset(ids.ToHashSet(), seen.ToHashSet());
        Assert.StartsWith("waba-44", prefix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("runtimeStatus=Sleeping", "runtimeStatus")]
    [InlineData("runtimeStatus=3", "runtimeStatus")]
    [InlineData("stage=Dreaming", "stage")]
    [InlineData("top=0", "top")]
    [InlineData("top=1001", "top")]
    [InlineData("top=ten", "top")]
    [InlineData("createdTimeFrom=yesterday", "createdTimeFrom")]
    [InlineData("continuationToken=not-a-token", "continuationToken")]
    public async Task List_BadQueryValue_Is422NamingTheParameter(string query, string parameter)
    {
        using var response = await Client.GetAsync("api/onboardings?" + query);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(parameter, problem.GetProperty("invalid_parameters")[0].GetProperty("name").GetString());
    }

    private async Task<List<string>> ListIdsAsync(string url)
    {
        var page = await Client.GetFromJsonAsync<JsonElement>(url);
        return page.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("instanceId").GetString()!).ToList();
    }
}
