using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.WebUtilities;
using WabaOrchestrator.Vonage.Templates;

namespace WabaOrchestrator.Api.Proxies;

/// <summary>
/// Rewrites <c>paging.next</c>/<c>previous</c> from Vonage's URLs (which callers cannot use: they hold no Vonage
/// token) to this service's list URL, keeping the cursor and the filters. Only the list's own parameters are carried,
/// so the caller's <c>?code=</c> key never ends up in a link. Behind a proxy, <c>X-Forwarded-Host</c> and
/// <c>X-Forwarded-Proto</c> (first value each) give the public origin; no other forwarding header is read.
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

        var (scheme, host) = PublicOrigin(request);
        return UriHelper.BuildAbsolute(scheme, host, request.PathBase, request.Path, query.ToQueryString());
    }

    private static (string Scheme, HostString Host) PublicOrigin(HttpRequest request)
    {
        var scheme = First(request.Headers["X-Forwarded-Proto"]) is { } proto && (proto.Equals("http", StringComparison.OrdinalIgnoreCase) || proto.Equals("https", StringComparison.OrdinalIgnoreCase))
            ? proto.ToLowerInvariant()
            : request.Scheme;
        var host = First(request.Headers["X-Forwarded-Host"]) is { } forwarded && IsHost(forwarded)
            ? new HostString(forwarded)
            : request.Host;
        return (scheme, host);
    }

    private static string? First(Microsoft.Extensions.Primitives.StringValues values)
    {
        var raw = values.FirstOrDefault();
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var comma = raw.IndexOf(',', StringComparison.Ordinal);
        return (comma < 0 ? raw : raw[..comma]).Trim();
    }

    // A host[:port] and nothing else: a forged header must not smuggle a path, query or credentials into the links.
    private static bool IsHost(string value) =>
        Uri.CheckHostName(HostPart(value)) != UriHostNameType.Unknown && value.IndexOfAny(['/', '\\', '?', '#', '@', ' ']) < 0;

    private static string HostPart(string value)
    {
        if (value.StartsWith('['))
        {
            var end = value.IndexOf(']', StringComparison.Ordinal);
            return end < 0 ? value : value[..(end + 1)];
        }

        var colon = value.LastIndexOf(':');
        return colon < 0 ? value : value[..colon];
    }
}
