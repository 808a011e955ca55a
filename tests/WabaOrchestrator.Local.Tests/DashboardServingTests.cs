using System.Net;
using WabaOrchestrator.Api.Dashboard;

namespace WabaOrchestrator.Local.Tests;

/// <summary>
/// The local host serves at / the same dashboard bytes the Functions host's dashboard trigger serves at /api/dashboard/:
/// both come from <see cref="DashboardFiles"/> (the Functions tests check the trigger answers exactly those bytes).
/// </summary>
public sealed class DashboardServingTests
{
    [Fact]
    public async Task EveryDashboardFile_IsServedAtTheRoot_WithTheBytesAndContentTypeTheFunctionsTriggerServes()
    {
        await using var host = await TempLocalHost.StartAsync();
        using var anonymous = await host.CreateClientAsync();
        var names = DashboardFiles.Provider.GetDirectoryContents(string.Empty).Select(f => f.Name).ToList();
        Assert.Contains("index.html", names);
        Assert.Contains("app.js", names);
        Assert.Contains("dashboard.css", names);

        foreach (var (path, name) in names.Select(n => (n, n)).Append((string.Empty, "index.html")))
        {
            var shared = DashboardFiles.Find(name)!;
            using var response = await anonymous.GetAsync(path);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(shared.ContentType, response.Content.Headers.ContentType?.ToString());
            Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
            Assert.Equal(shared.Content, await response.Content.ReadAsByteArrayAsync());
        }
    }
}
