using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WabaOrchestrator.Api.Tests.Infrastructure;
using WabaOrchestrator.Api.Webhooks;
using WabaOrchestrator.Testing;

namespace WabaOrchestrator.Api.Tests.Webhooks;

public sealed class InboundSmsWebhookTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private const string Route = "api/webhooks/vonage/inbound-sms";

    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task SignedJsonDelivery_RaisesTheCode_AndTheOnboardingCompletes()
    {
        var (id, to, code) = await WaitingOnboardingAsync();
        var body = WebhookSigner.JsonBody(to, $"Your WhatsApp code is {code[..3]}-{code[3..]}");

        using var response = await PostJsonAsync(body, WebhookSigner.Sign(body));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await OnboardingApi.WaitForStatusAsync(Client, id, "Completed");
    }

    [Fact]
    public async Task SignedFormDelivery_RaisesTheCode()
    {
        var (id, to, code) = await WaitingOnboardingAsync();
        var body = Encoding.UTF8.GetBytes($"msisdn=WhatsApp&to={to}&messageId={Guid.NewGuid():N}&text=Your+WhatsApp+code+is+{code}&type=text");
        using var request = new HttpRequestMessage(HttpMethod.Post, Route) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WebhookSigner.Sign(body));

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await OnboardingApi.WaitForStatusAsync(Client, id, "Completed");
    }

    [Fact]
    public async Task SignedGetDelivery_RaisesTheCode()
    {
        var (id, to, code) = await WaitingOnboardingAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Route}?msisdn=WhatsApp&to={to}&messageId={Guid.NewGuid():N}&text={Uri.EscapeDataString("Your WhatsApp code is " + code)}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WebhookSigner.Sign([]));

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await OnboardingApi.WaitForStatusAsync(Client, id, "Completed");
    }

    [Fact]
    public async Task SignedGetToken_ReusedWithOtherParameters_Is401_AndRaisesNothing()
    {
        var (id, to, code) = await WaitingOnboardingAsync();
        var attempts = AttemptsLeft(await OnboardingApi.GetAsync(Client, id));
        // The token signs the empty body only; the first use binds it to its query (here a number nobody onboards).
        var token = WebhookSigner.Sign([]);
        using (var first = await GetAsync($"{Route}?msisdn=WhatsApp&to=44{ApiHostFixture.NewNumber()}&messageId={Guid.NewGuid():N}&text=000000", token))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        }

        using var reused = await GetAsync($"{Route}?msisdn=WhatsApp&to={to}&messageId={Guid.NewGuid():N}&text={code}", token);

        Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);
        var status = await OnboardingApi.GetAsync(Client, id);
        Assert.Equal(attempts, AttemptsLeft(status));
        Assert.Equal("Running", status!.Value.GetProperty("runtimeStatus").GetString());
    }

    [Fact]
    public async Task SignedEmptyPost_IsABodyError_ItsQueryIsNotRead()
    {
        var (_, to, code) = await WaitingOnboardingAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Route}?msisdn=WhatsApp&to={to}&messageId={Guid.NewGuid():N}&text={code}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WebhookSigner.Sign([]));

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    public static TheoryData<string> Forgeries => new() { "secret", "stale", "future", "hash", "alg", "garbage" };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task ForgedOrStaleSignature_Is401_AndRaisesNothing(string forgery)
    {
        var (id, to, code) = await WaitingOnboardingAsync();
        var body = WebhookSigner.JsonBody(to, "Your WhatsApp code is " + code);
        var token = forgery switch
        {
            "secret" => WebhookSigner.Sign(body, secret: "not-the-secret"),
            "stale" => WebhookSigner.Sign(body, issuedAt: DateTimeOffset.UtcNow.AddMinutes(-6)),
            "future" => WebhookSigner.Sign(body, issuedAt: DateTimeOffset.UtcNow.AddMinutes(6)),
            "hash" => WebhookSigner.Sign(body, payloadHash: new string('0', 64)),
            "alg" => WebhookSigner.Sign(body, alg: "none"),
            _ => "not.a.jwt",
        };

        using var response = await PostJsonAsync(body, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var onboarding = await OnboardingApi.GetAsync(Client, id);
        Assert.Equal("WaitingForOtp", OnboardingApi.Stage(onboarding!.Value));
        Assert.Equal("Running", onboarding.Value.GetProperty("runtimeStatus").GetString());
    }

    [Fact]
    public async Task ReplayedMessageId_Is204AndRaisedOnce()
    {
        var (id, to, _) = await WaitingOnboardingAsync();
        var attempts = AttemptsLeft(await OnboardingApi.GetAsync(Client, id));
        var messageId = Guid.NewGuid().ToString("N");
        var body = WebhookSigner.JsonBody(to, "Your WhatsApp code is 000-000", messageId);

        using (var first = await PostJsonAsync(body, WebhookSigner.Sign(body)))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        }

        await WaitForSmsVerdictsAsync(id, 1);
        // A re-delivery: same messageId, fresh signature.
        var replay = WebhookSigner.JsonBody(to, "Your WhatsApp code is 000-000", messageId);
        using (var second = await PostJsonAsync(replay, WebhookSigner.Sign(replay)))
        {
            Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        }

        // A new message is processed after the replay: had the replay been raised, the workflow would have recorded it
        // (as a repeated delivery) before this one.
        var next = WebhookSigner.JsonBody(to, "Your WhatsApp code is 111-111");
        using (var third = await PostJsonAsync(next, WebhookSigner.Sign(next)))
        {
            Assert.Equal(HttpStatusCode.NoContent, third.StatusCode);
        }

        Assert.Equal(["wrong", "wrong"], await WaitForSmsVerdictsAsync(id, 2));
        // Wrong SMS codes never use up the operator's attempts.
        Assert.Equal(attempts, AttemptsLeft(await OnboardingApi.GetAsync(Client, id)));
    }

    [Fact]
    public async Task UnknownNumber_Is204AndStartsNothing()
    {
        var to = "44" + ApiHostFixture.NewNumber();
        var body = WebhookSigner.JsonBody(to, "Your WhatsApp code is 123-456");

        using var response = await PostJsonAsync(body, WebhookSigner.Sign(body));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Null(await OnboardingApi.GetAsync(Client, "waba-" + to));
    }

    [Theory]
    [InlineData("WhatsApp", "hello 000001")]
    [InlineData("WhatsApp", "Hello there")]
    [InlineData("447700900123", "Your WhatsApp code: 000-001")]
    public async Task SmsThatIsNotWhatsAppsCodeMessage_Is204_RaisesNothing_AndIsLoggedWithItsSenderNotItsText(string sender, string text)
    {
        var logs = new CapturingLoggerProvider();
        await using var host = await ApiHost.StartAsync(new StackOptions
        {
            ConfigureLogging = logging => logging.AddProvider(logs).AddFilter(typeof(InboundSmsHandler).FullName, LogLevel.Information),
        });
        var number = ApiHostFixture.NewNumber();
        var id = (await OnboardingApi.StartAsync(host.Client, number)).GetProperty("id").GetString()!;
        var deploymentId = await OnboardingApi.WaitForOtpAsync(host.Client, id);
        var messageId = Guid.NewGuid().ToString("N");
        var body = WebhookSigner.JsonBody("44" + number, text, messageId, sender);

        using var request = new HttpRequestMessage(HttpMethod.Post, Route) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WebhookSigner.Sign(body));
        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var line = Assert.Single(logs.Lines, l => l.Contains(messageId, StringComparison.Ordinal));
        Assert.Contains($"from {sender} ignored", line, StringComparison.Ordinal);
        Assert.Contains("(1 ignored since start)", line, StringComparison.Ordinal);
        Assert.DoesNotContain(text, logs.Text, StringComparison.Ordinal);
        Assert.Equal(1, host.Services.GetRequiredService<OtpSmsFilter>().Ignored);

        // Nothing was raised: the real code, typed now, is the first the workflow sees and completes it.
        var code = await OnboardingApi.SandboxCodeAsync(host, deploymentId);
        using (var submitted = await host.Client.PostAsJsonAsync($"api/onboardings/{id}/otp", new { code }))
        {
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        }

        await OnboardingApi.WaitForStatusAsync(host.Client, id, "Completed");
        var timeline = await host.Client.GetFromJsonAsync<JsonElement>($"api/onboardings/{id}/timeline");
        Assert.Single(timeline.GetProperty("timeline").GetProperty("entries").EnumerateArray(), e => e.GetProperty("kind").GetString() == "otp_received");
    }

    [Fact]
    public async Task ConfiguredSenders_AreTheOnlyOnesCodesComeFrom()
    {
        await using var host = await ApiHost.StartAsync(new StackOptions { Settings = new Dictionary<string, string?> { ["Webhooks:OtpSms:Senders"] = "32665, WhatsApp" } });
        var number = ApiHostFixture.NewNumber();
        var id = (await OnboardingApi.StartAsync(host.Client, number)).GetProperty("id").GetString()!;
        var code = await OnboardingApi.SandboxCodeAsync(host, await OnboardingApi.WaitForOtpAsync(host.Client, id));
        var body = WebhookSigner.JsonBody("44" + number, $"Your WhatsApp code: {code[..3]}-{code[3..]}", sender: "32665");

        using var request = new HttpRequestMessage(HttpMethod.Post, Route) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WebhookSigner.Sign(body));
        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await OnboardingApi.WaitForStatusAsync(host.Client, id, "Completed");
    }

    [Theory]
    [InlineData("Webhooks:OtpSms:TextPattern", "WhatsApp code (unclosed", "not a valid regular expression")]
    [InlineData("Webhooks:OtpSms:TextPattern", @"WhatsApp code (\d{3}-\d{3})", "no group named 'code'")]
    [InlineData("Webhooks:OtpSms:Senders", ",", "Webhooks:OtpSms:Senders")]
    public void OtpSmsSettingsThatCannotYieldACode_FailStart(string key, string value, string message)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:Keys:0"] = ApiHost.ApiKey,
            ["Vonage:SignatureSecret"] = ApiHost.SignatureSecret,
            [key] = value,
        }).Build());
        services.AddLogging();
        services.AddWabaApi();
        using var provider = services.BuildServiceProvider();

        // What the host runs before it starts (ValidateOnStart).
        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedPostToken_SentAgainWithTheSameBody_IsAccepted_AsVonagesRetry()
    {
        var (id, to, code) = await WaitingOnboardingAsync();
        var body = WebhookSigner.JsonBody(to, $"Your WhatsApp code: {code[..3]}-{code[3..]}");
        var token = WebhookSigner.Sign(body);
        using (var first = await PostJsonAsync(body, token))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        }

        using var again = await PostJsonAsync(body, token);

        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        await OnboardingApi.WaitForStatusAsync(Client, id, "Completed");
    }

    [Fact]
    public async Task MissingMessageId_Is422NamingIt()
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { to = "447700900001", text = "123456" });
        using var response = await PostJsonAsync(body, WebhookSigner.Sign(body));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("messageId", problem.GetProperty("invalid_parameters")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task SmsSignatureConfigured_RequiresAValidSig()
    {
        await using var host = await ApiHost.StartAsync(new() { Settings = new Dictionary<string, string?> { ["Webhooks:SmsSignature:Secret"] = "sms-secret", ["Webhooks:SmsSignature:Method"] = "sha256" } });
        var parameters = new Dictionary<string, string>
        {
            ["to"] = "44" + ApiHostFixture.NewNumber(),
            ["messageId"] = Guid.NewGuid().ToString("N"),
            ["text"] = "Your WhatsApp code is 123-456",
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        async Task<HttpStatusCode> SendAsync(Dictionary<string, string> fields)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(fields);
            using var request = new HttpRequestMessage(HttpMethod.Post, Route) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WebhookSigner.Sign(body));
            using var response = await host.Client.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(parameters));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(new(parameters) { ["sig"] = new string('a', 64) }));
        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(new(parameters) { ["sig"] = Api.Webhooks.SmsSignature.Sign(parameters, "sms-secret", "sha256").ToUpperInvariant() }));
    }

    private async Task<(string Id, string To, string Code)> WaitingOnboardingAsync()
    {
        var number = ApiHostFixture.NewNumber();
        var id = (await OnboardingApi.StartAsync(Client, number)).GetProperty("id").GetString()!;
        var deploymentId = await OnboardingApi.WaitForOtpAsync(Client, id);
        return (id, "44" + number, await OnboardingApi.SandboxCodeAsync(fixture.Host, deploymentId));
    }

    private async Task<HttpResponseMessage> PostJsonAsync(byte[] body, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Route) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> GetAsync(string target, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, target);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Client.SendAsync(request);
    }

    private static int AttemptsLeft(JsonElement? onboarding) =>
        onboarding!.Value.GetProperty("customStatus").GetProperty("otp").GetProperty("attempts_left").GetInt32();

    /// <summary>The verdicts of the first <paramref name="count"/> SMS codes in the timeline, once the onboarding waits again.</summary>
    private async Task<List<string>> WaitForSmsVerdictsAsync(string id, int count) =>
        await Testing.Poll.UntilAsync(
            async () =>
            {
                var timeline = await Client.GetFromJsonAsync<JsonElement>($"api/onboardings/{id}/timeline");
                var verdicts = timeline.GetProperty("timeline").GetProperty("entries").EnumerateArray()
                    .Where(e => e.GetProperty("kind").GetString() == "otp_received" && e.GetProperty("source").GetString() == "sms")
                    .Select(e => e.GetProperty("verdict").GetString()!)
                    .ToList();
                return verdicts.Count >= count && OnboardingApi.Stage((await OnboardingApi.GetAsync(Client, id))!.Value) == "WaitingForOtp" ? verdicts : null;
            },
            $"{count} SMS code(s) taken");
}
