using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WabaOrchestrator.Durable.Sqlite;
using WabaOrchestrator.Testing;

namespace WabaOrchestrator.Local.Tests;

/// <summary>The local host as <c>dotnet run</c> starts it (defaults, embedded sandbox), on a loopback port and a temp data directory.</summary>
public sealed class LocalHostTests
{
    private static readonly string[] Fast = ["--Sandbox:StepDelay=00:00:00.020", "--Onboarding:PollInterval=00:00:00.020", "--Onboarding:MaxPollInterval=00:00:00.100"];

    [Fact]
    public async Task Defaults_GenerateKeysInTheDataDirectory_AndReuseThemAfterARestart()
    {
        await using var host = await TempLocalHost.StartAsync();
        using var first = await host.CreateClientAsync();
        var apiKey = await host.ApiKeyAsync();
        var files = new[] { "api-key", "callback-signing-secret", "webhook-signature-secret", "sandbox-private-key.pem", "sandbox-application-id" }
            .ToDictionary(f => f, f => File.ReadAllText(Path.Combine(host.DataDirectory, f)));
        if (!OperatingSystem.IsWindows())
        {
            foreach (var file in files.Keys)
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(host.DataDirectory, file)));
            }
        }

        using (var health = await first.GetAsync("healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        using (var unauthorized = await first.GetAsync("api/onboardings"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        }

        await host.RestartAsync();
        using var second = await host.CreateClientAsync();
        Assert.All(files, f => Assert.Equal(f.Value, File.ReadAllText(Path.Combine(host.DataDirectory, f.Key))));
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/onboardings") { Headers = { { "x-functions-key", apiKey } } };
        using var authorized = await second.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
    }

    [Fact]
    public async Task SmsOnboarding_ThroughTheEmbeddedSandbox_CompletesWithNoOtpTyped()
    {
        await using var host = await TempLocalHost.StartAsync(Fast);
        using var anonymous = await host.CreateClientAsync();
        using var client = await host.CreateClientAsync(withKey: true);

        using var started = await client.PostAsJsonAsync("api/onboardings", new { country_code = "44", number = "7700900555", vname_certificate = "cert", method = "sms", waba_id = "123456" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var status = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusQueryGetUri").GetString()!;
        Assert.StartsWith(host.BaseAddress.AbsoluteUri, status, StringComparison.Ordinal);

        var done = (JsonElement)await Poll.UntilAsync<object>(async () =>
            await client.GetFromJsonAsync<JsonElement>(status) is var o && o.GetProperty("runtimeStatus").GetString() is "Completed" or "Failed" ? o : null, "the onboarding to finish");
        Assert.Equal("Completed", done.GetProperty("runtimeStatus").GetString());
        Assert.Equal("READY", done.GetProperty("output").GetProperty("state").GetString());

        using var openApi = await anonymous.GetAsync("openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        var paths = (await openApi.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/onboardings/{id}/otp", out _));
        Assert.True(paths.TryGetProperty("/api/webhooks/vonage/inbound-sms", out _));
        using var swagger = await anonymous.GetAsync("swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, swagger.StatusCode);
    }

    [Fact]
    public async Task DurableSettings_TuneTheEngine_ButTheDatabaseStaysInTheDataDirectory()
    {
        await using var host = await TempLocalHost.StartAsync("--Durable:MaxCachedInstances=7", "--Durable:DatabasePath=/elsewhere.db");

        var engine = host.App.Services.GetRequiredService<IOptions<SqliteDurableEngineOptions>>().Value;
        Assert.Equal(7, engine.MaxCachedInstances);
        Assert.Equal(Path.Combine(host.DataDirectory, "durable.db"), engine.DatabasePath);
    }

    [Fact]
    public async Task VoiceOnboardingWaitingForItsCode_ResumesAfterARestart_OnTheSandboxStateKeptInTheDataDirectory()
    {
        await using var host = await TempLocalHost.StartAsync(Fast);
        Assert.Equal(Path.GetFullPath(host.DataDirectory), host.App.Services.GetRequiredService<IOptions<WabaOrchestrator.Sandbox.SandboxOptions>>().Value.DataDirectory);
        using var before = await host.CreateClientAsync(withKey: true);
        using (var started = await before.PostAsJsonAsync("api/onboardings", new { country_code = "44", number = "7700900556", vname_certificate = "cert", method = "voice", waba_id = "123456" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        }

        var deploymentId = await WaitingDeploymentAsync(before);
        var code = (await before.GetFromJsonAsync<JsonElement>($"sandbox/_sandbox/deployments/{deploymentId}/otp")).GetProperty("code").GetString();
        await host.RestartAsync();
        Assert.True(File.Exists(Path.Combine(host.DataDirectory, "sandbox.db")));

        using var client = await host.CreateClientAsync(withKey: true);
        Assert.Equal(code, (await client.GetFromJsonAsync<JsonElement>($"sandbox/_sandbox/deployments/{deploymentId}/otp")).GetProperty("code").GetString());
        using (var typed = await client.PostAsJsonAsync("api/onboardings/waba-447700900556/otp", new { code }))
        {
            Assert.True(typed.IsSuccessStatusCode, $"{typed.StatusCode}: {await typed.Content.ReadAsStringAsync()}");
        }

        var done = (JsonElement)await Poll.UntilAsync<object>(async () =>
            await client.GetFromJsonAsync<JsonElement>("api/onboardings/waba-447700900556") is var o && o.GetProperty("runtimeStatus").GetString() is "Completed" or "Failed" ? o : null, "the onboarding to finish");
        Assert.Equal("Completed", done.GetProperty("runtimeStatus").GetString());
        Assert.Equal("READY", done.GetProperty("output").GetProperty("state").GetString());
        var deployment = Assert.Single((await client.GetFromJsonAsync<JsonElement>("sandbox/_sandbox/deployments")).GetProperty("deployments").EnumerateArray());
        Assert.Equal(deploymentId, deployment.GetProperty("deployment_id").GetString());
        Assert.Equal(1, deployment.GetProperty("codes_sent").GetInt32());
    }

    /// <summary>The id of the deployment once its code is sent and the onboarding waits for it.</summary>
    private static async Task<string> WaitingDeploymentAsync(HttpClient client) =>
        await Poll.UntilAsync(async () =>
        {
            var status = await client.GetFromJsonAsync<JsonElement>("api/onboardings/waba-447700900556");
            var deployments = (await client.GetFromJsonAsync<JsonElement>("sandbox/_sandbox/deployments")).GetProperty("deployments");
            return status.TryGetProperty("customStatus", out var custom) && custom.ValueKind == JsonValueKind.Object
                && custom.TryGetProperty("stage", out var stage) && stage.GetString() == "WaitingForOtp"
                && deployments.GetArrayLength() == 1 && deployments[0].GetProperty("state").GetString() == "CODE_SENT"
                ? deployments[0].GetProperty("deployment_id").GetString()
                : null;
        }, "the voice onboarding to wait for its code");
}
