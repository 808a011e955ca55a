using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WabaOrchestrator.Api.Dashboard;

namespace WabaOrchestrator.Functions.Http;

/// <summary>
/// The operator dashboard (<see cref="DashboardFiles"/>, the local host's page at <c>/</c>) under the route prefix at
/// <c>/api/dashboard/</c>, behind the function key: the operator opens <c>/api/dashboard/?code=&lt;key&gt;</c>.
/// The one HTTP function that is not part of the API route table.
/// </summary>
public sealed class DashboardTrigger
{
    public const string Name = "Dashboard";
    public const string Route = "dashboard/{*file}";

    [Function(Name)]
    public IResult Serve([HttpTrigger(AuthorizationLevel.Function, "get", Route = Route)] HttpRequest request, string? file)
    {
        // The page's asset and API URLs are relative to its folder: /api/dashboard would resolve them under /api/.
        if (string.IsNullOrEmpty(file) && !request.Path.Value!.EndsWith('/'))
        {
            return Results.Redirect($"{request.PathBase}{request.Path}/{request.QueryString}");
        }

        return DashboardFiles.Serve(request.HttpContext, file);
    }
}
