using System.Net;

namespace WabaOrchestrator.Onboarding.Callbacks;

/// <summary>
/// What a <c>callback_url</c> must be under <see cref="CallbackOptions"/>, checked at start (a 422) and again before
/// each delivery (settings may have changed since). Host names are judged by the addresses they resolve to only at
/// connect time (<see cref="CallbackHttpHandler"/>), since a check made earlier can be got round by DNS rebinding.
/// </summary>
public static class CallbackUrlRules
{
    /// <summary>Why <paramref name="uri"/> may not be called back, or null when it may.</summary>
    public static string? Refusal(Uri uri, CallbackOptions options)
    {
        if (uri.Scheme != Uri.UriSchemeHttps && !(options.AllowHttp && uri.Scheme == Uri.UriSchemeHttp))
        {
            return options.AllowHttp
                ? "Must be an http(s) URL."
                : "Must be an https URL (this service does not call http callbacks: Onboarding:Callbacks:AllowHttp is off).";
        }

        if (LiteralAddress(uri) is { } address)
        {
            var range = CallbackAddresses.Classify(address);
            if (!CallbackAddresses.IsAllowed(address, options.AllowPrivateAddresses))
            {
                return range.Kind == CallbackAddressKind.Private
                    ? $"Names a {range.Range} address, which callbacks may not reach (Onboarding:Callbacks:AllowPrivateAddresses is off)."
                    : $"Names a {range.Range} address, which callbacks may never reach.";
            }
        }

        if (options.AllowedHosts.Count > 0 && !options.AllowedHosts.Any(pattern => HostMatches(Host(uri), pattern)))
        {
            return "Its host is not in this service's allowed callback hosts (Onboarding:Callbacks:AllowedHosts).";
        }

        return null;
    }

    /// <summary>The address a URL names literally, in whatever form <see cref="Uri"/> accepted (2130706433, 0x7f.1, [::ffff:127.0.0.1]).</summary>
    public static IPAddress? LiteralAddress(Uri uri) =>
        uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(uri.DnsSafeHost, out var address)
            ? address
            : null;

    /// <summary>An allowlist entry: a host name, or <c>*.example.com</c> for any name under example.com (not example.com itself).</summary>
    public static bool IsValidPattern(string pattern)
    {
        var name = pattern.StartsWith("*.", StringComparison.Ordinal) ? pattern[2..] : pattern;
        return name.Length > 0 && Uri.CheckHostName(name) != UriHostNameType.Unknown;
    }

    private static string Host(Uri uri) => uri.IdnHost.TrimEnd('.');

    private static bool HostMatches(string host, string pattern)
    {
        pattern = pattern.Trim().TrimEnd('.');
        return pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(host, pattern, StringComparison.OrdinalIgnoreCase);
    }
}
