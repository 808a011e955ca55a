using WabaOrchestrator.Api.Dashboard;

namespace WabaOrchestrator.Local.Dashboard;

/// <summary>
/// Serves the operator dashboard (<see cref="DashboardFiles"/>, shared with the Functions host) at <c>/</c>.
/// Anonymous on purpose: the files hold no data; every call they make goes to /api with the key.
/// </summary>
internal static class DashboardExtensions
{
    public static IApplicationBuilder UseDashboard(this IApplicationBuilder app)
    {
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = DashboardFiles.Provider });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = DashboardFiles.Provider,
            // Embedded files carry the build's time, not their own: revalidate so a new build is never served stale.
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        return app;
    }
}
