using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WabaOrchestrator.Api.Tests.Infrastructure;
using WabaOrchestrator.Testing;

namespace WabaOrchestrator.Api.Tests.Onboardings;

/// <summary><c>POST /api/onboardings/{id}/otp</c> past <c>Onboarding:OtpSubmissions:PermitLimit</c> per window.</summary>
public sealed class OtpSubmissionLimitTests : IAsyncLifetime
{
    private const int Limit = 3;

    private StackHost _host = null!;

    private HttpClient Client => _host.Client;

    public async Task InitializeAsync() => _host = await ApiHost.StartAsync(new StackOptions
    {
        Settings = new Dictionary<string, string?>
        {
            ["Onboarding:OtpSubmissions:PermitLimit"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // An hour: no window can end while a test runs, so the count it sees is the count it made.
            ["Onboarding:OtpSubmissions:Window"] = "01:00:00",
            // More attempts than the limit, so the wrong codes below never end the onboarding.
            ["Onboarding:MaxAttempts"] = "10",
        },
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task OtpSubmissions_PastTheLimit_Are429WithRetryAfter_AndRaiseNothing()
    {
        var (id, code) = await WaitingOnboardingAsync();
        for (var i = 1; i <= Limit; i++)
        {
            using var accepted = await SubmitAsync(id, (code == "000001" ? "000009" : "00000" + i));
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        // The right code, refused: had it been raised, the onboarding would complete.
        using var refused = await SubmitAsync(id, code);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("Onboarding:OtpSubmissions", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Events reach the workflow in order: once the cancel raised after the 429 is handled, every code raised before
        // it has been too, and only the wrong ones ever were.
        using (var cancel = await Client.DeleteAsync($"api/onboardings/{id}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }

        var done = await OnboardingApi.WaitForStatusAsync(Client, id, "Completed");
        Assert.Equal("Cancelled", done.GetProperty("output").GetProperty("stage").GetString());
        var timeline = await Client.GetFromJsonAsync<JsonElement>($"api/onboardings/{id}/timeline");
        var codes = timeline.GetProperty("timeline").GetProperty("entries").EnumerateArray().Count(e => e.GetProperty("kind").GetString() == "otp_received");
        Assert.Equal(Limit, codes);
    }

    [Fact]
    public async Task OtpSubmissionLimit_IsPerOnboarding_AnotherOnboardingStillCompletes()
    {
        var (limited, _) = await WaitingOnboardingAsync();
        var (other, code) = await WaitingOnboardingAsync();
        HttpStatusCode last;
        var sent = 0;
        do
        {
            using var response = await SubmitAsync(limited, "000000");
            last = response.StatusCode;
            sent++;
        }
        while (last == HttpStatusCode.Accepted && sent <= Limit);

        Assert.Equal(HttpStatusCode.TooManyRequests, last);
        using var accepted = await SubmitAsync(other, code);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await OnboardingApi.WaitForStatusAsync(Client, other, "Completed");
    }

    private async Task<(string Id, string Code)> WaitingOnboardingAsync()
    {
        var id = (await OnboardingApi.StartAsync(Client, ApiHostFixture.NewNumber())).GetProperty("id").GetString()!;
        var deploymentId = await OnboardingApi.WaitForOtpAsync(Client, id);
        return (id, await OnboardingApi.SandboxCodeAsync(_host, deploymentId));
    }

    private Task<HttpResponseMessage> SubmitAsync(string id, string code) => Client.PostAsJsonAsync($"api/onboardings/{id}/otp", new { code });
}
