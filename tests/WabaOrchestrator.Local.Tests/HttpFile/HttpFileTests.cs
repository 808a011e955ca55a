using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace WabaOrchestrator.Local.Tests.HttpFile;

/// <summary>The local host's .http file, run top to bottom against a freshly started host so it cannot drift from the API.</summary>
public sealed class HttpFileTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"waba-http-{Guid.NewGuid():N}");
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
    public async Task EveryRequestOfTheHttpFile_AnswersAsTheFileSays_InOrder_OnAFreshLocalHost()
    {
        _app = LocalApp.Create(["--urls=http://127.0.0.1:0", $"--Local:DataDirectory={_dataDirectory}", "--Logging:LogLevel:Default=Warning",
            "--Sandbox:StepDelay=00:00:00.050", "--Sandbox:ResendCooldown=00:00:00.100", "--Sandbox:TemplateReviewDelay=00:00:00.100",
            "--Onboarding:PollInterval=00:00:00.050", "--Onboarding:MaxPollInterval=00:00:00.200"]);
        await _app.StartAsync();
        var directory = Path.Combine(AppContext.BaseDirectory, "HttpFile");
        var (variables, requests) = HttpFileParser.Parse(await File.ReadAllLinesAsync(Path.Combine(directory, "WabaOrchestrator.Local.http")));

        // Only the two values the file asks its reader to set.
        Assert.Contains("host", variables.Keys);
        Assert.Contains("key", variables.Keys);
        variables["host"] = _app.Urls.First().TrimEnd('/');
        variables["key"] = (await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "api-key"))).Trim();
        using var client = new HttpClient();

        var sent = await new HttpFileRunner(client, directory, variables, requests).RunAsync();

        Assert.Equal(requests.Count, sent.Count);
        // The one answer that is not 2xx is the webhook's without a signature: nothing else may hide an error.
        var documentedError = Assert.Single(sent, s => s.Status is < 200 or >= 300);
        Assert.Equal((401, "/api/webhooks/vonage/inbound-sms"), (documentedError.Status, documentedError.Uri.AbsolutePath));

        // Every route of the API is shown: a new endpoint cannot be left out of the file.
        var routes = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.Trim('/'))
            .Where(p => p.StartsWith("/api/", StringComparison.Ordinal))
            .Distinct();
        Assert.All(routes, route => Assert.Contains(sent, s => RouteRegex(route).IsMatch(s.Uri.AbsolutePath)));
    }

    private static Regex RouteRegex(string route) =>
        new("^" + string.Join('/', route.Split('/').Select(segment => segment.StartsWith('{') ? "[^/]+" : Regex.Escape(segment))) + "$", RegexOptions.None, TimeSpan.FromSeconds(1));
}
