using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Primitives;

namespace WabaOrchestrator.Api.Infrastructure;

/// <summary>
/// Absolute URLs on this service as callers see it: behind a proxy, <c>X-Forwarded-Proto</c> and
/// <c>X-Forwarded-Host</c> (first value each, and only well-formed ones) give the public origin.
/// </summary>
public static class PublicOrigin
{
    public static (string Scheme, HostString Host) Of(HttpRequest request)
    {
        var scheme = First(request.Headers["X-Forwarded-Proto"]) is { } proto
            && (proto.Equals("http", StringComparison.OrdinalIgnoreCase) || proto.Equals("https", StringComparison.OrdinalIgnoreCase))
            ? proto.ToLowerInvariant()
            : request.Scheme;
        var host = First(request.Headers["X-Forwarded-Host"]) is { } forwarded && IsHost(forwarded)
            ? new HostString(forwarded)
            : request.Host;
        return (scheme, host);
    }

    /// <summary><paramref name="path"/> (starting with '/') under the request's path base, on the public origin.</summary>
    public static string Url(HttpRequest request, string path, QueryString query = default)
    {
        var (scheme, host) = Of(request);
        return UriHelper.BuildAbsolute(scheme, host, request.PathBase, new PathString(path), query);
    }

    private static string? First(StringValues values)
    {
        var raw = values.FirstOrDefault();
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var comma = raw.IndexOf(',', StringComparison.Ordinal);
        return (comma < 0 ? raw : raw[..comma]).Trim();
    }

    // A forwarded host lands in links callers follow: accept host[:port] only, never a path or userinfo.
    private static bool IsHost(string value) =>
        Uri.CheckHostName(new HostString(value).Host) != UriHostNameType.Unknown
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '[' or ']');
}
