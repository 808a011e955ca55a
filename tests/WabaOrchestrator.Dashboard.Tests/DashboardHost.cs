using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;
using WabaOrchestrator.Local;
using WabaOrchestrator.Testing;

namespace WabaOrchestrator.Dashboard.Tests;

/// <summary>
/// A real local host (embedded sandbox, fast clocks) on a loopback port and the Debian chromium package driven by
/// Playwright. The browser is launched by path: Playwright's own browser download cannot work here.
/// </summary>
public sealed class DashboardHost : IAsyncLifetime
{
    private static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"waba-dashboard-{Guid.NewGuid():N}");
    private WebApplication? _app;
    private IPlaywright? _playwright;

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public string ApiKey { get; private set; } = "";

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the screenshots go: kept with the test output so a CI run can publish them.</summary>
    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _app = LocalApp.Create(
        [
            "--urls=http://127.0.0.1:0", $"--Local:DataDirectory={_dataDirectory}", "--Logging:LogLevel:Default=Warning",
            "--Sandbox:StepDelay=00:00:00.020", "--Onboarding:PollInterval=00:00:00.020", "--Onboarding:MaxPollInterval=00:00:00.100",
        ]);
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Urls.First().TrimEnd('/') + "/");
        ApiKey = (await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "api-key"))).Trim();
        Api = new HttpClient { BaseAddress = BaseAddress };
        Api.DefaultRequestHeaders.Add("x-functions-key", ApiKey);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
        Assertions.SetDefaultExpectTimeout(30_000);
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        Api?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Directory.Delete(_dataDirectory, recursive: true);
    }

    /// <summary>A page at the given width that has entered the key through the dashboard's own form.</summary>
    public async Task<IPage> OpenAsync(int width = 1400, string? key = null, string hash = "")
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = 1000 }, BaseURL = BaseAddress.AbsoluteUri });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/" + hash);
        await page.GetByLabel("API key", new() { Exact = true }).FillAsync(key ?? ApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use this key" }).ClickAsync();
        return page;
    }

    public async Task<string> StartAsync(string number, string method, object? otp = null)
    {
        using var response = await Api.PostAsJsonAsync("api/onboardings", new { country_code = "44", number, vname_certificate = "cert", method, waba_id = "123456", otp });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>The code the sandbox sent for the onboarding's deployment, as the person on the phone would hear it.</summary>
    public async Task<string> SandboxCodeAsync(string id)
    {
        var deploymentId = await Poll.UntilAsync(async () =>
        {
            var status = await Api.GetFromJsonAsync<JsonElement>($"api/onboardings/{id}");
            return status.GetProperty("customStatus") is { ValueKind: JsonValueKind.Object } custom
                && custom.TryGetProperty("deployment_id", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        }, "the deployment id");
        var otp = await Api.GetFromJsonAsync<JsonElement>($"sandbox/_sandbox/deployments/{deploymentId}/otp");
        return otp.GetProperty("code").GetString()!;
    }

    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(ScreenshotDirectory, name);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        Console.WriteLine($"Screenshot: {path}");
        return path;
    }
}
