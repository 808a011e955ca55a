using Microsoft.Extensions.FileProviders;

namespace WabaOrchestrator.Local.Dashboard;

/// <summary>
/// Serves the operator dashboard (plain HTML, CSS and JavaScript modules, no build step) at <c>/</c> from resources
/// embedded in this assembly. Anonymous on purpose: the files hold no data; every call they make goes to /api with the key.
/// </summary>
internal static class DashboardExtensions
{
    public static IApplicationBuilder UseDashboard(this IApplicationBuilder app)
    {
        var files = new EmbeddedFileProvider(typeof(DashboardExtensions).Assembly, typeof(DashboardExtensions).Namespace);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            // Embedded files carry the build's time, not their own: revalidate so a new build is never served stale.
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        return app;
    }
}
