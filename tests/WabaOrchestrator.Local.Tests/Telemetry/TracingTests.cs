using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using WabaOrchestrator.Durable.Sqlite;
using WabaOrchestrator.Local.Telemetry;
using WabaOrchestrator.Testing;

namespace WabaOrchestrator.Local.Tests.Telemetry;

/// <summary>
/// The local host's traces, caught by the in-memory exporter on the host's own instrumentation. Activity listeners are
/// process-wide, so spans of hosts other tests run at the same time arrive too: everything is picked by trace id.
/// </summary>
public sealed class TracingTests
{
    private static readonly string[] Fast = ["--Sandbox:StepDelay=00:00:00.020", "--Onboarding:PollInterval=00:00:00.020", "--Onboarding:MaxPollInterval=00:00:00.100"];

    [Fact]
    public async Task SmsOnboarding_IsOneTrace_FromTheStartRequestThroughEveryEpisodeActivityAndVonageCall_WithNoSecretInIt()
    {
        var spans = new List<Activity>();
        await using var host = await TempLocalHost.StartAsync(WithExporter(spans), Fast);
        using var client = await host.CreateClientAsync(withKey: true);
        const string pin = "482915";
        var certificate = $"cert-{Guid.NewGuid():N}";

        using (var started = await client.PostAsJsonAsync("api/onboardings", new { country_code = "44", number = "7700900571", vname_certificate = certificate, pin, method = "sms", waba_id = "123456" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        }

        await WaitUntilCompletedAsync(client, "waba-447700900571");
        var deploymentId = Assert.Single((await client.GetFromJsonAsync<JsonElement>("sandbox/_sandbox/deployments")).GetProperty("deployments").EnumerateArray()).GetProperty("deployment_id").GetString();
        var code = (await client.GetFromJsonAsync<JsonElement>($"sandbox/_sandbox/deployments/{deploymentId}/otp")).GetProperty("code").GetString()!;

        var start = await StartRequestSpanAsync(spans, host);
        var trace = await Poll.UntilAsync(() => Task.FromResult(EngineSpans(spans, "waba-447700900571") is { Count: > 0 } engine && engine.Exists(s => s.DisplayName.StartsWith("activity:", StringComparison.Ordinal)) ? engine : null), "the engine's spans");
        Assert.All(trace, s => Assert.Equal(start.TraceId, s.TraceId));

        var episodes = trace.Where(s => s.DisplayName == "orchestration:OnboardingOrchestrator").ToList();
        Assert.NotEmpty(episodes);
        Assert.Contains(episodes, e => e.ParentSpanId == start.SpanId);
        var episodeIds = episodes.Select(e => e.SpanId).ToHashSet();
        var activities = trace.Where(s => s.DisplayName.StartsWith("activity:", StringComparison.Ordinal)).ToList();
        Assert.Contains(activities, a => a.DisplayName == "activity:ProvisionDeploymentActivity");
        Assert.All(activities, a => Assert.Contains(a.ParentSpanId, episodeIds));
        Assert.Equal(trace.Count, episodes.Count + activities.Count);

        var activityIds = activities.Select(a => a.SpanId).ToHashSet();
        var vonageCalls = Snapshot(spans).Where(s => s.Source.Name == "System.Net.Http" && s.Kind == ActivityKind.Client && activityIds.Contains(s.ParentSpanId)).ToList();
        Assert.NotEmpty(vonageCalls);
        Assert.All(vonageCalls, c => Assert.Equal(start.TraceId, c.TraceId));

        var everything = Snapshot(spans).Where(s => s.TraceId == start.TraceId).ToList();
        foreach (var (label, secret) in new[] { ("pin", pin), ("vname_certificate", certificate), ("otp code", code) })
        {
            Assert.DoesNotContain(everything, s => Text(s).Contains(secret, StringComparison.Ordinal) ? Fail(label, s) : false);
        }
    }

    [Fact]
    public async Task VoiceOnboarding_KeepsItsTraceId_AcrossAHostRestart_AndLinksTheOtpRequest()
    {
        var spans = new List<Activity>();
        await using var host = await TempLocalHost.StartAsync(WithExporter(spans), Fast);
        using (var before = await host.CreateClientAsync(withKey: true))
        using (var started = await before.PostAsJsonAsync("api/onboardings", new { country_code = "44", number = "7700900572", vname_certificate = "cert", method = "voice", waba_id = "123456" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        }

        var start = await StartRequestSpanAsync(spans, host);
        using (var before = await host.CreateClientAsync(withKey: true))
        {
            await Poll.UntilAsync(async () =>
                (await before.GetFromJsonAsync<JsonElement>("api/onboardings/waba-447700900572")).TryGetProperty("customStatus", out var custom)
                && custom.ValueKind == JsonValueKind.Object && custom.TryGetProperty("stage", out var stage) && stage.GetString() == "WaitingForOtp", "the voice onboarding to wait for its code");
        }

        var deploymentId = await DeploymentIdAsync(host);
        await host.RestartAsync();
        var restartedAt = DateTime.UtcNow;

        using var client = await host.CreateClientAsync(withKey: true);
        var code = (await client.GetFromJsonAsync<JsonElement>($"sandbox/_sandbox/deployments/{deploymentId}/otp")).GetProperty("code").GetString();
        using (var typed = await client.PostAsJsonAsync("api/onboardings/waba-447700900572/otp", new { code }))
        {
            Assert.True(typed.IsSuccessStatusCode, $"{typed.StatusCode}: {await typed.Content.ReadAsStringAsync()}");
        }

        await WaitUntilCompletedAsync(client, "waba-447700900572");
        var otpRequest = await Poll.UntilAsync(() => Task.FromResult(Snapshot(spans).FirstOrDefault(s => IsServerSpan(s, host, "/api/onboardings/waba-447700900572/otp"))), "the OTP request's span");
        var after = await Poll.UntilAsync(() => Task.FromResult(EngineSpans(spans, "waba-447700900572").Where(s => s.StartTimeUtc >= restartedAt).ToList() is { Count: > 0 } later && later.Exists(s => s.DisplayName.StartsWith("activity:", StringComparison.Ordinal)) ? later : null), "spans after the restart");

        Assert.All(EngineSpans(spans, "waba-447700900572"), s => Assert.Equal(start.TraceId, s.TraceId));
        Assert.NotEqual(start.TraceId, otpRequest.TraceId);
        Assert.Contains(after, s => s.DisplayName == "orchestration:OnboardingOrchestrator" && s.Links.Any(l => l.Context.TraceId == otpRequest.TraceId && l.Context.SpanId == otpRequest.SpanId));
    }

    [Fact]
    public async Task Tracing_IsRegisteredOnlyWhenAnOtlpEndpointIsSet()
    {
        await using (var plain = await TempLocalHost.StartAsync())
        {
            Assert.Null(plain.App.Services.GetService<TracerProvider>());
        }

        // Nothing listens there: the exporter's failed sends are its own business, the host serves regardless.
        await using var exporting = await TempLocalHost.StartAsync($"--{LocalTracing.OtlpEndpointSetting}=http://127.0.0.1:9");
        Assert.NotNull(exporting.App.Services.GetService<TracerProvider>());
        using var client = await exporting.CreateClientAsync();
        using var health = await client.GetAsync("healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private static Action<WebApplicationBuilder> WithExporter(List<Activity> spans) =>
        b => b.Services.AddOpenTelemetry().WithTracing(t => t.AddLocalHostInstrumentation().AddInMemoryExporter(spans));

    /// <summary>The exporter appends from other threads: read a copy.</summary>
    private static Activity[] Snapshot(List<Activity> spans) => spans.ToArray();

    private static List<Activity> EngineSpans(List<Activity> spans, string instanceId) =>
        Snapshot(spans).Where(s => s.Source.Name == DurableTelemetry.ActivitySourceName && (s.GetTagItem("durabletask.task.instance_id") as string) == instanceId).ToList();

    private static Task<Activity> StartRequestSpanAsync(List<Activity> spans, TempLocalHost host) =>
        Poll.UntilAsync(() => Task.FromResult(Snapshot(spans).FirstOrDefault(s => IsServerSpan(s, host, "/api/onboardings"))), "the start request's span");

    private static bool IsServerSpan(Activity span, TempLocalHost host, string path) =>
        span.Kind == ActivityKind.Server && span.Source.Name == "Microsoft.AspNetCore"
        && (span.GetTagItem("url.path") as string) == path && (span.GetTagItem("http.request.method") as string) == "POST"
        && Convert.ToInt32(span.GetTagItem("server.port"), CultureInfo.InvariantCulture) == host.BaseAddress.Port;

    private static async Task WaitUntilCompletedAsync(HttpClient client, string instanceId)
    {
        var done = await Poll.UntilAsync(async () =>
            await client.GetFromJsonAsync<JsonElement>($"api/onboardings/{instanceId}") is var o && o.GetProperty("runtimeStatus").GetString() is "Completed" or "Failed" ? (object)o : null, "the onboarding to finish");
        Assert.Equal("Completed", ((JsonElement)done).GetProperty("runtimeStatus").GetString());
    }

    private static async Task<string> DeploymentIdAsync(TempLocalHost host)
    {
        using var client = await host.CreateClientAsync();
        return Assert.Single((await client.GetFromJsonAsync<JsonElement>("sandbox/_sandbox/deployments")).GetProperty("deployments").EnumerateArray()).GetProperty("deployment_id").GetString()!;
    }

    /// <summary>Everything a span exports as text: name, tags, events with their tags, links' tags, status.</summary>
    private static string Text(Activity span) => string.Join(
        '\n',
        new[] { span.DisplayName, span.OperationName, span.StatusDescription ?? "" }
            .Concat(span.TagObjects.Select(t => $"{t.Key}={t.Value}"))
            .Concat(span.Events.SelectMany(e => new[] { e.Name }.Concat(e.Tags.Select(t => $"{t.Key}={t.Value}"))))
            .Concat(span.Links.SelectMany(l => l.Tags?.Select(t => $"{t.Key}={t.Value}") ?? [])));

    private static bool Fail(string label, Activity span) =>
        throw new Xunit.Sdk.XunitException($"The {label} is in span '{span.DisplayName}' ({span.Source.Name}).");
}
