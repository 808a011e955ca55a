using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Api.Dashboard;
using WabaOrchestrator.Functions.Http;
using WabaOrchestrator.Functions.Tests.Hosting;

namespace WabaOrchestrator.Functions.Tests.Http;

/// <summary>The dashboard's trigger invoked as the Functions host invokes it, with the route value the host decoded.</summary>
public sealed class DashboardTriggerTests : IDisposable
{
    private readonly ServiceProvider _services = FunctionsTestServices.Provider();

    public void Dispose() => _services.Dispose();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("index.html")]
    public async Task TheDashboardFolder_ServesIndexHtml_AsHtml_Revalidated(string? file)
    {
        var context = Request("/api/dashboard/" + file);

        var (status, body) = await InvokeAsync(context, file);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("text/html", context.Response.ContentType, StringComparison.Ordinal);
        Assert.Equal("no-cache", context.Response.Headers.CacheControl.ToString());
        Assert.Equal(DashboardFiles.Find("index.html")!.Content, body);
        Assert.Contains("<title>WabaOrchestrator", System.Text.Encoding.UTF8.GetString(body), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("app.js", "text/javascript")]
    [InlineData("api.js", "text/javascript")]
    [InlineData("dashboard.css", "text/css")]
    public async Task AnAsset_IsServedWithItsContentType_AndTheSharedBytes(string file, string contentType)
    {
        var context = Request("/api/dashboard/" + file);

        var (status, body) = await InvokeAsync(context, file);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(contentType, context.Response.ContentType);
        Assert.NotEmpty(body);
        Assert.Equal(DashboardFiles.Find(file)!.Content, body);
        Assert.Equal(DashboardFiles.Find(file)!.ETag.ToString(), context.Response.Headers.ETag.ToString());
    }

    [Theory]
    [InlineData("missing.js")]
    [InlineData("INDEX.HTML")]
    [InlineData("../host.json")]
    [InlineData("..%2Fhost.json")]
    [InlineData("%2E%2E%2Fapp.js")]
    [InlineData("..\\app.js")]
    [InlineData("./app.js")]
    [InlineData("Dashboard/app.js")]
    [InlineData("../../WabaOrchestrator.Api.dll")]
    [InlineData("DashboardFiles.cs")]
    public async Task AnUnknownFile_OrAPathOutOfTheDashboard_Answers404(string file)
    {
        var context = Request("/api/dashboard/" + file);

        var (status, body) = await InvokeAsync(context, file);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Empty(body);
    }

    [Fact]
    public async Task AnUnchangedFile_Answers304_ToItsETag()
    {
        var context = Request("/api/dashboard/app.js");
        context.Request.Headers.IfNoneMatch = DashboardFiles.Find("app.js")!.ETag.ToString();

        var (status, body) = await InvokeAsync(context, "app.js");

        Assert.Equal(HttpStatusCode.NotModified, status);
        Assert.Empty(body);
    }

    [Fact]
    public async Task TheDashboardWithoutItsTrailingSlash_RedirectsToTheFolder_KeepingTheCode()
    {
        // Without the slash the page's relative URLs would resolve under /api/ instead of /api/dashboard/.
        var context = Request("/api/dashboard");
        context.Request.QueryString = new QueryString("?code=the-key");

        var (status, _) = await InvokeAsync(context, null);

        Assert.Equal(HttpStatusCode.Redirect, status);
        Assert.Equal("/api/dashboard/?code=the-key", context.Response.Headers.Location.ToString());
    }

    private DefaultHttpContext Request(string path)
    {
        var context = new DefaultHttpContext { RequestServices = _services };
        context.Request.Method = "GET";
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("func-test.azurewebsites.net");
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static async Task<(HttpStatusCode Status, byte[] Body)> InvokeAsync(HttpContext context, string? file)
    {
        await new DashboardTrigger().Serve(context.Request, file).ExecuteAsync(context);
        return ((HttpStatusCode)context.Response.StatusCode, ((MemoryStream)context.Response.Body).ToArray());
    }
}
