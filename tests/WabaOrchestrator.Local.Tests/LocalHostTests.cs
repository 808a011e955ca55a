using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WabaOrchestrator.Durable.Sqlite;
using WabaOrchestrator.Testing;

namespace WabaOrchestrator.Local.Tests;

/// <summary>The local host as <c>dotnet run</c> starts it (defaults, embedded sandbox), on a loopback port and a temp data directory.</summary>
public sealed class LocalHostTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"waba-local-{Guid.NewGuid():N}");
    private WebApplication? _app;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task Defaults_GenerateKeysInTheDataDirectory_AndReuseThemAfterARestart()
    {
        var (_, first) = await StartAsync();
        var apiKey = await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "api-key"));
        var files = new[] { "api-key", "callback-signing-secret", "webhook-signature-secret", "sandbox-private-key.pem", "sandbox-application-id" }
            .ToDictionary(f => f, f => File.ReadAllText(Path.Combine(_dataDirectory, f)));
        if (!OperatingSystem.IsWindows())
        {
            foreach (var file in files.Keys)
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dataDirectory, file)));
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

        await _app!.StopAsync();
        await _app.DisposeAsync();
        _app = null;

        var (_, second) = await StartAsync();
        Assert.All(files, f => Assert.Equal(f.Value, File.ReadAllText(Path.Combine(_dataDirectory, f.Key))));
        using var authorized = await second.GetAsync($"api/onboardings?code={Uri.EscapeDataString(apiKey.Trim())}");
        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
    }

    [Fact]
    public async Task SmsOnboarding_ThroughTheEmbeddedSandbox_CompletesWithNoOtpTyped()
    {
        var (baseAddress, anonymous) = await StartAsync(["--Sandbox:StepDelay=00:00:00.020", "--Onboarding:PollInterval=00:00:00.020", "--Onboarding:MaxPollInterval=00:00:00.100"]);
        using var client = new HttpClient { BaseAddress = baseAddress };
        client.DefaultRequestHeaders.Add("x-functions-key", (await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "api-key"))).Trim());

        using var started = await client.PostAsJsonAsync("api/onboardings", new { country_code = "44", number = "7700900555", vname_certificate = "cert", method = "sms", waba_id = "123456" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var status = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusQueryGetUri").GetString()!;
        Assert.StartsWith(baseAddress.AbsoluteUri, status, StringComparison.Ordinal);

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
        await StartAsync(["--Durable:MaxCachedInstances=7", "--Durable:DatabasePath=/elsewhere.db"]);

        var engine = _app!.Services.GetRequiredService<IOptions<SqliteDurableEngineOptions>>().Value;
        Assert.Equal(7, engine.MaxCachedInstances);
        Assert.Equal(Path.Combine(_dataDirectory, "durable.db"), engine.DatabasePath);
    }

    [Fact]
    public async Task VoiceOnboardingWaitingForItsCode_ResumesAfterARestart_OnTheSandboxStateKeptInTheDataDirectory()
    {
        string[] fast = ["--Sandbox:StepDelay=00:00:00.020", "--Onboarding:PollInterval=00:00:00.020", "--Onboarding:MaxPollInterval=00:00:00.100"];
        var (_, anonymous) = await StartAsync(fast);
        Assert.Equal(Path.GetFullPath(_dataDirectory), _app!.Services.GetRequiredService<IOptions<WabaOrchestrator.Sandbox.SandboxOptions>>().Value.DataDirectory);
        var key = (await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "api-key"))).Trim();
        anonymous.DefaultRequestHeaders.Add("x-functions-key", key);
        using (var started = await anonymous.PostAsJsonAsync("api/onboardings", new { country_code = "44", number = "7700900556", vname_certificate = "cert", method = "voice", waba_id = "123456" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        }

        var deploymentId = await WaitingDeploymentAsync(anonymous);
        var code = (await anonymous.GetFromJsonAsync<JsonElement>($"sandbox/_sandbox/deployments/{deploymentId}/otp")).GetProperty("code").GetString();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
        Assert.True(File.Exists(Path.Combine(_dataDirectory, "sandbox.db")));

        var (_, client) = await StartAsync(fast);
        client.DefaultRequestHeaders.Add("x-functions-key", key);
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

    private async Task<(Uri BaseAddress, HttpClient Client)> StartAsync(string[]? extra = null)
    {
        _app = LocalApp.Create(["--urls=http://127.0.0.1:0", $"--Local:DataDirectory={_dataDirectory}", "--Logging:LogLevel:Default=Warning", .. extra ?? []]);
        await _app.StartAsync();
        var address = new Uri(_app.Urls.First().TrimEnd('/') + "/");
        return (address, new HttpClient { BaseAddress = address });
    }
}
