using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WabaOrchestrator.Sandbox.Infrastructure.Persistence;
using WabaOrchestrator.Sandbox.Tests.Infrastructure;
using WabaOrchestrator.Sandbox.Tests.Templates;

namespace WabaOrchestrator.Sandbox.Tests;

/// <summary>
/// A sandbox given <c>Sandbox:DataDirectory</c> is stopped and started again on the same directory, as a host restart
/// does: everything it acknowledged is still there, and its clocks (state machine steps, template reviews, SMS
/// retries) go on from absolute due times.
/// </summary>
public sealed class PersistenceTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"waba-sandbox-{Guid.NewGuid():N}");
    private readonly TestApplication _application = new();
    private SandboxHost? _host;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await StopAsync();
        _application.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Restart_KeepsEachDeploymentsStateAndStepClock_AndAStepDueWhileDownHappensAtOnce()
    {
        var clock = new ManualTimeProvider();
        using var client = await StartAsync(clock);
        var first = await client.ProvisionAsync();
        clock.Advance(TimeSpan.FromSeconds(1));
        clock.Advance(TimeSpan.FromMilliseconds(400));
        var second = await client.ProvisionAsync();
        Assert.Equal("CREATING_CLUSTER", await client.StateAsync(first));

        using var afterRestart = await RestartAsync(clock);
        Assert.Equal("CREATING_CLUSTER", await afterRestart.StateAsync(first));
        Assert.Equal("INITIALIZING", await afterRestart.StateAsync(second));
        clock.Advance(TimeSpan.FromMilliseconds(599));
        Assert.Equal("CREATING_CLUSTER", await afterRestart.StateAsync(first));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("CLUSTER_CREATED", await afterRestart.StateAsync(first));
        Assert.Equal("INITIALIZING", await afterRestart.StateAsync(second));

        await StopAsync();
        clock.Advance(TimeSpan.FromSeconds(10));
        using var late = await StartAsync(clock);
        clock.Advance(TimeSpan.Zero);

        Assert.Equal("CODE_SENT", await late.StateAsync(first));
        Assert.Equal("CREATING_CLUSTER", await late.StateAsync(second));
        Assert.Matches("^[0-9]{6}$", await late.OtpAsync(first));
    }

    [Fact]
    public async Task Restart_KeepsCodesProfilesPhotosStickersAndApplications_AndNumbersStayTaken()
    {
        using var client = await StartAsync();
        using var registered = new TestApplication();
        using (var registration = await client.PostAsJsonAsync("_sandbox/applications", new { application_id = registered.ApplicationId, public_key = registered.PublicKeyPem }))
        {
            Assert.Equal(HttpStatusCode.Created, registration.StatusCode);
        }

        var ready = await client.ReadyDeploymentAsync();
        var number = (await client.GetDeploymentAsync(ready)).GetProperty("number").GetString()!;
        var deployment = $"{SandboxApi.Deployments}/{ready}";
        (await client.PatchAsync($"{deployment}/profile", JsonContent.Create(new { about = "Kept across restarts", websites = new[] { "https://example.com" } }))).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"{deployment}/profile/photo", new { image_url = "https://example.com/logo.png" })).EnsureSuccessStatusCode();
        var pack = await ReadIdAsync(await client.PostAsJsonAsync($"{deployment}/stickerpacks", new { name = "Kept", publisher = "Tests" }), "stickerpacks");
        (await client.PostAsJsonAsync($"{deployment}/stickerpacks/{pack}/stickers", new { image_data_id = "image-1", emojis = new[] { "😀" } })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"{deployment}/stickerpacks/{pack}/stickers", new { image_data_id = "image-2" })).EnsureSuccessStatusCode();
        (await client.DeleteAsync($"{deployment}/stickerpacks/{pack}/stickers/1")).EnsureSuccessStatusCode();
        var waiting = await client.ProvisionAsync();
        await client.WaitForStateAsync(waiting, "CODE_SENT");
        var code = await client.OtpAsync(waiting);

        using var after = await RestartAsync();

        Assert.Equal("READY", await after.StateAsync(ready));
        var profile = await after.GetFromJsonAsync<JsonElement>($"{deployment}/profile");
        Assert.Equal("Kept across restarts", profile.GetProperty("about").GetString());
        Assert.Equal("https://example.com", profile.GetProperty("websites")[0].GetString());
        Assert.Equal("https://example.com/logo.png", (await after.GetFromJsonAsync<JsonElement>($"{deployment}/profile/photo")).GetProperty("image_url").GetString());
        Assert.Equal("Kept", (await after.GetFromJsonAsync<JsonElement>($"{deployment}/stickerpacks/{pack}")).GetProperty("stickerpacks")[0].GetProperty("name").GetString());
        Assert.Equal(["2"], Indexes(await after.GetFromJsonAsync<JsonElement>($"{deployment}/stickerpacks/{pack}/stickers")));
        var added = await after.PostAsJsonAsync($"{deployment}/stickerpacks/{pack}/stickers", new { image_data_id = "image-3" });
        Assert.Equal(["3"], Indexes(await added.Content.ReadFromJsonAsync<JsonElement>()));

        Assert.Equal(code, await after.OtpAsync(waiting));
        using (var verified = await after.VerifyAsync(waiting, code))
        {
            Assert.Equal(HttpStatusCode.Created, verified.StatusCode);
        }

        using (var again = await after.PostAsJsonAsync(SandboxApi.Deployments, SandboxApi.ProvisionBody(number)))
        {
            await again.AssertProblemAsync(HttpStatusCode.Conflict, "number-in-use");
        }

        using var asRegistered = new HttpClient { BaseAddress = _host!.BaseAddress };
        asRegistered.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", registered.MintToken(lifetime: TimeSpan.FromHours(1)));
        using var read = await asRegistered.GetAsync(deployment);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task Restart_KeepsTemplatesWithTheirReviewTimers_AndMediaHandles()
    {
        var clock = new ManualTimeProvider();
        var settings = new Dictionary<string, string?> { ["Sandbox:DataDirectory"] = _directory };
        var waba = TemplateApi.NewWaba();
        string pending, handle, seeded;
        await using (var before = await TemplateTestHost.StartAsync(time: clock, reviewDelay: TimeSpan.FromMinutes(5), settings: settings))
        {
            seeded = TemplateApi.Ids(await before.Client.ListAsync(TemplateApi.Templates(waba)))[0];
            pending = await before.Client.CreateAsync(waba, TemplateApi.Valid("kept_template"));
            handle = await before.Client.UploadHandleAsync("image/png", MediaSamples.Png(), "kept.png");
            using var deleted = await before.Client.DeleteAsync($"{TemplateApi.Templates(waba)}?name=sample_issue_resolution");
            Assert.True(deleted.IsSuccessStatusCode);
            clock.Advance(TimeSpan.FromMinutes(4));
        }

        await using var after = await TemplateTestHost.StartAsync(time: clock, reviewDelay: TimeSpan.FromMinutes(5), settings: settings);

        Assert.Equal("PENDING", (await after.Client.GetTemplateAsync(waba, pending))["status"]!.GetValue<string>());
        Assert.DoesNotContain("sample_issue_resolution", TemplateApi.Names(await after.Client.ListAsync(TemplateApi.Templates(waba))));
        Assert.DoesNotContain(seeded, TemplateApi.Ids(await after.Client.ListAsync(TemplateApi.Templates(waba))));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("APPROVED", (await after.Client.GetTemplateAsync(waba, pending))["status"]!.GetValue<string>());
        var media = await after.Client.CreateAsync(waba, TemplateHostingTests.MediaTemplate("kept_handle", "IMAGE", handle));
        Assert.True(long.Parse(media, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(pending, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task PendingSmsDelivery_SurvivesARestart_AndArrivesWithTheSameMessageId()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Accepting = false;
        void Webhook(SandboxOptions o)
        {
            o.InboundSms.WebhookUrl = receiver.Url;
            o.InboundSms.SignatureSecret = "secret";
            o.InboundSms.RetryDelay = TimeSpan.FromMilliseconds(20);
            o.InboundSms.MaxRetryDelay = TimeSpan.FromMilliseconds(50);
        }

        using var client = await StartAsync(configure: Webhook);
        var id = await client.ProvisionAsync();
        await client.WaitForStateAsync(id, "CODE_SENT");
        var code = await client.OtpAsync(id);
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Refused.Count >= 2), "two refused deliveries");
        await StopAsync();
        var refusedIds = receiver.Refused.Select(d => d.GetProperty("messageId").GetString()).Distinct().ToList();

        receiver.Accepting = true;
        using var after = await StartAsync(configure: Webhook);
        await Eventually.TrueAsync(() => Task.FromResult(!receiver.Accepted.IsEmpty), "the pending code to be delivered after the restart");

        var delivered = Assert.Single(receiver.Accepted);
        Assert.Equal(refusedIds, [delivered.GetProperty("messageId").GetString()]);
        Assert.Contains($"{code[..3]}-{code[3..]}", delivered.GetProperty("text").GetString(), StringComparison.Ordinal);
        await Eventually.TrueAsync(async () => (await after.GetFromJsonAsync<JsonElement>("_sandbox/inbound-sms")).GetProperty("pending").GetArrayLength() == 0, "nothing pending");
    }

    [Fact]
    public async Task UnacknowledgedSms_IsRetriedPastFourAttempts_UntilRetryForRunsOut_InMemoryToo()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Accepting = false;
        _host = await SandboxFixture.StartAsync(_application, o =>
        {
            o.InboundSms.WebhookUrl = receiver.Url;
            o.InboundSms.SignatureSecret = "secret";
            o.InboundSms.RetryDelay = TimeSpan.FromMilliseconds(5);
            o.InboundSms.MaxRetryDelay = TimeSpan.FromMilliseconds(10);
            // Long enough for many 5-10 ms retries even on a loaded machine, short enough to see it run out.
            o.InboundSms.RetryFor = TimeSpan.FromSeconds(3);
        });
        using var client = Client();
        var id = await client.ProvisionAsync();
        await client.WaitForStateAsync(id, "CODE_SENT");

        await Eventually.TrueAsync(() => Task.FromResult(receiver.Refused.Count > 4), "more than four attempts while RetryFor lasts");
        await Eventually.TrueAsync(async () => (await client.GetFromJsonAsync<JsonElement>("_sandbox/inbound-sms")).GetProperty("pending").GetArrayLength() == 0, "the code to be given up");

        Assert.Single(receiver.Refused.Select(d => d.GetProperty("messageId").GetString()).Distinct());
        Assert.Same(MemorySandboxState.Instance, _host.Services.GetRequiredService<ISandboxState>());
    }

    [Fact]
    public async Task Reset_ForgetsWhatTheDataDirectoryHolds()
    {
        using var client = await StartAsync();
        var id = await client.ProvisionAsync();
        using (var reset = await client.PostAsync("_sandbox/reset", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        }

        using var after = await RestartAsync();
        using var gone = await after.GetAsync($"{SandboxApi.Deployments}/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(0, (await after.GetFromJsonAsync<JsonElement>("_sandbox/deployments")).GetProperty("deployments").GetArrayLength());
    }

    [Fact]
    public async Task DataDirectory_HoldsOneOwnerOnlyDatabase_WithNoCertificateOrPin()
    {
        using var client = await StartAsync();
        var body = new Dictionary<string, string>
        {
            ["country_code"] = "44", ["number"] = SandboxApi.UniqueNumber(), ["vname_certificate"] = "CertificateNotOnDisk123",
            ["method"] = "sms", ["waba_id"] = "123456789123", ["pin"] = "918273",
        };
        using (var created = await client.PostAsJsonAsync(SandboxApi.Deployments, body))
        {
            Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        }

        await StopAsync();

        var database = Path.Combine(_directory, "sandbox.db");
        Assert.True(File.Exists(database));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(database));
        }

        var bytes = string.Concat(Directory.GetFiles(_directory).Select(f => System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(f))));
        Assert.Contains(body["number"], bytes, StringComparison.Ordinal);
        Assert.DoesNotContain("CertificateNotOnDisk123", bytes, StringComparison.Ordinal);
        Assert.DoesNotContain("918273", bytes, StringComparison.Ordinal);
    }

    private static string[] Indexes(JsonElement stickers) => [.. stickers.GetProperty("stickers").EnumerateArray().Select(s => s.GetProperty("index").GetString()!)];

    private static async Task<string> ReadIdAsync(HttpResponseMessage response, string list)
    {
        using (response)
        {
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty(list)[0].GetProperty("id").GetString()!;
        }
    }

    private async Task<HttpClient> StartAsync(TimeProvider? clock = null, Action<SandboxOptions>? configure = null)
    {
        _host = await SandboxHost.StartAsync(
            o =>
            {
                o.StepDelay = clock is null ? TimeSpan.FromMilliseconds(20) : TimeSpan.FromSeconds(1);
                o.DataDirectory = _directory;
                o.Applications.Add(new SandboxApplication { ApplicationId = _application.ApplicationId, PublicKey = _application.PublicKeyPem });
                configure?.Invoke(o);
            },
            configureServices: clock is null ? null : s => s.AddSingleton(clock));
        return Client();
    }

    private async Task<HttpClient> RestartAsync(TimeProvider? clock = null)
    {
        await StopAsync();
        return await StartAsync(clock);
    }

    private async Task StopAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
            _host = null;
        }
    }

    private HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = _host!.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _application.MintToken(lifetime: TimeSpan.FromHours(1)));
        return client;
    }

    /// <summary>An inbound-SMS webhook on loopback that refuses (503) or accepts deliveries as told.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Receiver(WebApplication app) => _app = app;

        public volatile bool Accepting = true;

        public ConcurrentQueue<JsonElement> Accepted { get; } = new();

        public ConcurrentQueue<JsonElement> Refused { get; } = new();

        public Uri Url { get; private set; } = null!;

        public static async Task<Receiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            var app = builder.Build();
            var receiver = new Receiver(app);
            app.MapPost("/inbound-sms", async (HttpRequest request) =>
            {
                var json = (await JsonDocument.ParseAsync(request.Body)).RootElement.Clone();
                (receiver.Accepting ? receiver.Accepted : receiver.Refused).Enqueue(json);
                return receiver.Accepting ? Results.Ok() : Results.StatusCode(503);
            });
            await app.StartAsync();
            receiver.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/inbound-sms");
            return receiver;
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}
