using Microsoft.AspNetCore.WebUtilities;
using WabaOrchestrator.Api.Dashboard;
using static Microsoft.Playwright.Assertions;

namespace WabaOrchestrator.Dashboard.Tests;

/// <summary>
/// The same page as the Functions app serves it, at /api/dashboard/?code=&lt;key&gt; with every file behind the key,
/// calling the real local host's API at /api/.
/// </summary>
public sealed class FunctionsPrefixTests(DashboardHost host) : IClassFixture<DashboardHost>
{
    private const string Prefix = "/api/dashboard/";

    [Fact]
    public async Task UnderTheFunctionsPrefix_ThePageTakesTheKeyFromItsUrl_LoadsEveryFileWithIt_AndCallsTheApiAbove()
    {
        var id = await host.StartAsync("7700900691", "sms");
        var context = await host.Browser.NewContextAsync(new() { BaseURL = host.BaseAddress.AbsoluteUri });
        var page = await context.NewPageAsync();
        var served = new List<string>();
        var refused = new List<string>();
        // Stands in for the Functions host in front of the Dashboard trigger: a file only with ?code=<key> (the host's
        // key check), its bytes from DashboardFiles (what the trigger answers).
        await page.RouteAsync(url => new Uri(url).AbsolutePath.StartsWith(Prefix, StringComparison.Ordinal), async route =>
        {
            var url = new Uri(route.Request.Url);
            if (QueryHelpers.ParseQuery(url.Query).TryGetValue("code", out var code) is false || code != host.ApiKey)
            {
                refused.Add(url.PathAndQuery);
                await route.FulfillAsync(new() { Status = 401 });
            }
            else if (DashboardFiles.Find(url.AbsolutePath[Prefix.Length..]) is { } file)
            {
                served.Add(file.Name);
                await route.FulfillAsync(new() { Status = 200, ContentType = file.ContentType, BodyBytes = file.Content });
            }
            else
            {
                await route.FulfillAsync(new() { Status = 404 });
            }
        });

        await page.GotoAsync($"api/dashboard/?code={Uri.EscapeDataString(host.ApiKey)}");

        await Expect(page.Locator($"tr[data-instance-id='{id}']")).ToHaveCountAsync(1);
        await Expect(page.Locator("#key-section")).ToBeHiddenAsync();
        Assert.Empty(refused);
        Assert.Equal(
            DashboardFiles.Provider.GetDirectoryContents(string.Empty).Select(f => f.Name).Order(),
            served.Distinct().Order());
        Assert.DoesNotContain("code=", page.Url, StringComparison.Ordinal);
        Assert.Equal(host.ApiKey, await page.EvaluateAsync<string>("() => sessionStorage.getItem('waba.apiKey')"));
    }
}
