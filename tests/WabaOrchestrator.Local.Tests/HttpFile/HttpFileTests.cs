using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace WabaOrchestrator.Local.Tests.HttpFile;

/// <summary>The local host's .http file, run top to bottom against a freshly started host so it cannot drift from the API.</summary>
public sealed class HttpFileTests
{
    [Fact]
    public async Task EveryRequestOfTheHttpFile_AnswersAsTheFileSays_InOrder_OnAFreshLocalHost()
    {
        await using var host = await TempLocalHost.StartAsync(
            "--Sandbox:StepDelay=00:00:00.050", "--Sandbox:ResendCooldown=00:00:00.100", "--Sandbox:TemplateReviewDelay=00:00:00.100",
            "--Onboarding:PollInterval=00:00:00.050", "--Onboarding:MaxPollInterval=00:00:00.200");
        var directory = Path.Combine(AppContext.BaseDirectory, "HttpFile");
        var (variables, requests) = HttpFileParser.Parse(await File.ReadAllLinesAsync(Path.Combine(directory, "WabaOrchestrator.Local.http")));

        // Only the two values the file asks its reader to set.
        Assert.Contains("host", variables.Keys);
        Assert.Contains("key", variables.Keys);
        variables["host"] = host.BaseAddress.AbsoluteUri.TrimEnd('/');
        variables["key"] = await host.ApiKeyAsync();
        using var client = new HttpClient();

        var sent = await new HttpFileRunner(client, directory, variables, requests).RunAsync();

        Assert.Equal(requests.Count, sent.Count);
        // The answers that are not 2xx are the documented ones, a key in ?code= and the webhook's without a signature:
        // nothing else may hide an error.
        var documentedErrors = sent.Where(s => s.Status is < 200 or >= 300).Select(s => (s.Status, s.Uri.AbsolutePath));
        Assert.Equal([(401, "/api/onboardings"), (401, "/api/webhooks/vonage/inbound-sms")], documentedErrors);

        // Every route of the API is shown: a new endpoint cannot be left out of the file.
        var routes = host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.Trim('/'))
            .Where(p => p.StartsWith("/api/", StringComparison.Ordinal))
            .Distinct();
        Assert.All(routes, route => Assert.Contains(sent, s => RouteRegex(route).IsMatch(s.Uri.AbsolutePath)));
    }

    private static Regex RouteRegex(string route) =>
        new("^" + string.Join('/', route.Split('/').Select(segment => segment.StartsWith('{') ? "[^/]+" : Regex.Escape(segment))) + "$", RegexOptions.None, TimeSpan.FromSeconds(1));
}
