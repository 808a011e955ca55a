using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace WabaOrchestrator.Dashboard.Tests;

/// <summary>The dashboard in a real browser against a real local host: what an operator sees and does.</summary>
public sealed class DashboardTests(DashboardHost host, ITestOutputHelper output) : IClassFixture<DashboardHost>
{
    [Fact]
    public async Task List_ShowsOnboardingsStartedThroughTheApi_MovingToCompletedWithoutAReload()
    {
        var page = await host.OpenAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Onboardings" })).ToBeVisibleAsync();
        // Marks this page load: a reload would lose it.
        await page.EvaluateAsync("() => window.__sameLoad = true");

        var first = await host.StartAsync("7700900601", "sms");
        var second = await host.StartAsync("7700900602", "sms");

        foreach (var id in new[] { first, second })
        {
            var row = page.Locator($"tr[data-instance-id='{id}']");
            await Expect(row.Locator(".runtime-status")).ToHaveTextAsync("Completed");
            await Expect(row.Locator(".stage")).ToHaveTextAsync("Completed");
            await Expect(row.Locator(".vonage-state")).ToHaveTextAsync("READY");
        }

        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameLoad === true"));
        await Expect(page.Locator("#count-status li[data-name='Completed'] strong")).Not.ToHaveTextAsync("0");

        await page.GetByLabel("Number starts with").FillAsync("447700900602");
        await Expect(page.Locator($"tr[data-instance-id='{first}']")).ToHaveCountAsync(0);
        await Expect(page.Locator($"tr[data-instance-id='{second}']")).ToHaveCountAsync(1);
        await page.GetByLabel("Number starts with").FillAsync("");
        await page.GetByLabel("Runtime status").SelectOptionAsync("Failed");
        await Expect(page.Locator($"tr[data-instance-id='{first}']")).ToHaveCountAsync(0);
        await page.GetByLabel("Runtime status").SelectOptionAsync("");
        await Expect(page.Locator($"tr[data-instance-id='{first}']")).ToHaveCountAsync(1);

        output.WriteLine(await DashboardHost.ScreenshotAsync(page, "list-1400.png"));
        await page.SetViewportSizeAsync(400, 900);
        output.WriteLine(await DashboardHost.ScreenshotAsync(page, "list-400.png"));
    }

    [Fact]
    public async Task VoiceOnboarding_CompletesByTypingTheCodeInItsPage()
    {
        var id = await host.StartAsync("7700900611", "voice");
        var page = await host.OpenAsync(hash: $"#/onboardings/{id}");
        await Expect(page.Locator("#fact-stage")).ToHaveTextAsync("WaitingForOtp");
        await Expect(page.Locator("[aria-current='step']")).ToHaveTextAsync("WaitingForOtp");
        await Expect(page.Locator("#otp-countdown")).ToContainTextAsync("left");
        output.WriteLine(await DashboardHost.ScreenshotAsync(page, "onboarding-waiting-1400.png"));
        await page.SetViewportSizeAsync(400, 900);
        output.WriteLine(await DashboardHost.ScreenshotAsync(page, "onboarding-waiting-400.png"));

        var code = await host.SandboxCodeAsync(id);
        await page.GetByLabel("Code", new() { Exact = true }).FillAsync(code);
        await page.GetByLabel("Code", new() { Exact = true }).PressAsync("Enter");

        await Expect(page.Locator("#fact-runtime-status")).ToHaveTextAsync("Completed");
        await Expect(page.Locator("[aria-current='step']")).ToHaveTextAsync("Completed");
        await Expect(page.Locator("#fact-vonage-state")).ToHaveTextAsync("READY");
        await Expect(page.Locator("#timeline tr[data-kind='otp_received']")).ToContainTextAsync("verified");
        await Expect(page.Locator("#output")).ToContainTextAsync("\"state\": \"READY\"");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Submit code" })).ToBeDisabledAsync();
        await page.SetViewportSizeAsync(1400, 1000);
        output.WriteLine(await DashboardHost.ScreenshotAsync(page, "onboarding-completed-1400.png"));
    }

    [Fact]
    public async Task Cancel_FromItsPage_EndsCancelledWithTheReasonAndTheDeploymentDeleted()
    {
        var id = await host.StartAsync("7700900621", "voice");
        var page = await host.OpenAsync(hash: $"#/onboardings/{id}");
        await Expect(page.Locator("#fact-stage")).ToHaveTextAsync("WaitingForOtp");

        await page.GetByLabel("Reason").FillAsync("wrong number");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel onboarding" }).ClickAsync();

        await Expect(page.Locator("#fact-stage")).ToHaveTextAsync("Cancelled");
        await Expect(page.Locator("#fact-reason")).ToHaveTextAsync("wrong number");
        await Expect(page.Locator("#fact-vonage-state")).ToHaveTextAsync("DELETED");
        await Expect(page.Locator("#timeline tr[data-kind='cancel_requested']")).ToContainTextAsync("wrong number");
    }

    [Fact]
    public async Task ResendNow_FromItsPage_EndsTheWindowAndAsksForANewCode_UntilNoneAreLeft()
    {
        var id = await host.StartAsync("7700900631", "voice", new { max_resends = 1 });
        var page = await host.OpenAsync(hash: $"#/onboardings/{id}");
        await Expect(page.Locator("#fact-stage")).ToHaveTextAsync("WaitingForOtp");
        await Expect(page.Locator("#otp-resends-left")).ToHaveTextAsync("1");

        await page.GetByRole(AriaRole.Button, new() { Name = "Resend now" }).ClickAsync();

        await Expect(page.Locator("#otp-resends")).ToHaveTextAsync("1");
        await Expect(page.Locator("#otp-resends-left")).ToHaveTextAsync("0");
        await Expect(page.Locator("#timeline tr[data-kind='resend_requested']")).ToContainTextAsync("Accepted");
        await Expect(page.Locator("#timeline tr[data-kind='otp_resent']")).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resend now" })).ToBeDisabledAsync();

        // The new code works.
        await page.GetByLabel("Code", new() { Exact = true }).FillAsync(await host.SandboxCodeAsync(id));
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit code" }).ClickAsync();
        await Expect(page.Locator("#fact-runtime-status")).ToHaveTextAsync("Completed");
    }

    [Fact]
    public async Task WrongKey_ShowsThatTheKeyWasRefused_AndAsksAgain()
    {
        var page = await host.OpenAsync(key: "not-the-key");

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("API key was refused");
        await Expect(page.GetByLabel("API key", new() { Exact = true })).ToBeFocusedAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('waba.apiKey')"));

        await page.GetByLabel("API key", new() { Exact = true }).FillAsync(host.ApiKey);
        await page.GetByLabel("API key", new() { Exact = true }).PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Onboardings" })).ToBeVisibleAsync();
    }
}
