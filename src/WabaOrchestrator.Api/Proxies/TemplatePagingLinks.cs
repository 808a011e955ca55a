using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using WabaOrchestrator.Api.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using WabaOrchestrator.Vonage.Templates;

namespace WabaOrchestrator.Api.Proxies;

/// <summary>
/// Rewrites <c>paging.next</c>/<c>previous</c> from Vonage's URLs (which callers cannot use: they hold no Vonage
/// token) to this service's list URL, keeping the cursor and the filters. Only the list's own parameters are carried,
/// so the caller's <c>?code=</c> key never ends up in a link. The origin is <see cref="PublicOrigin"/>'s.
/// </summary>
public static class TemplatePagingLinks
{
    public static TemplatePage Rewrite(TemplatePage page, HttpRequest request) =>
        page.Paging is not { } paging
            ? page
            : page with { Paging = paging with { Next = Rewrite(paging.Next, request), Previous = Rewrite(paging.Previous, request) } };

    public static string? Rewrite(string? vonageUrl, HttpRequest request)
    {
        if (string.IsNullOrEmpty(vonageUrl))
        {
            return vonageUrl;
        }

        var queryStart = vonageUrl.IndexOf('?', StringComparison.Ordinal);
        var vonage = new QueryCollection(QueryHelpers.ParseQuery(queryStart < 0 ? "" : vonageUrl[queryStart..]));
        var query = new QueryBuilder();
        foreach (var name in TemplateListQuery.Parameters)
        {
            // Vonage's link is authoritative for the cursor; the caller's filters fill in anything it left out.
            var value = TemplateListQuery.Value(vonage, name)
                ?? (name is "after" or "before" ? null : TemplateListQuery.Value(request.Query, name));
            if (value is not null)
            {
                query.Add(name, value);
            }
        }

        return PublicOrigin.Url(request, request.Path, query.ToQueryString());
    }
}
