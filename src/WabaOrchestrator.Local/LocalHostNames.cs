using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace WabaOrchestrator.Local;

/// <summary>
/// The default <c>AllowedHosts</c>: the names this host listens on (localhost, 127.0.0.1, [::1] and the hosts of the
/// configured URLs; for a wildcard URL such as <c>http://0.0.0.0:7071</c>, the machine's name and addresses). A request
/// naming any other host gets 400, so a page on another site cannot reach the API through DNS rebinding.
/// </summary>
internal static class LocalHostNames
{
    public static string AllowedHosts(IConfiguration configuration, string defaultUrl)
    {
        var names = new SortedSet<string>(StringComparer.OrdinalIgnoreCase) { "localhost", "127.0.0.1", "[::1]" };
        foreach (var url in Urls(configuration, defaultUrl))
        {
            var host = Host(url);
            if (host is null)
            {
                continue;
            }

            if (host is "*" or "+" or "0.0.0.0" or "[::]" or "::")
            {
                names.UnionWith(MachineNames());
            }
            else
            {
                names.Add(host);
            }
        }

        return string.Join(';', names);
    }

    private static IEnumerable<string> Urls(IConfiguration configuration, string defaultUrl)
    {
        var urls = configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } configured ? configured : defaultUrl;
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return url;
        }

        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url)
            {
                yield return url;
            }
        }

        // http_ports/https_ports bind every address.
        if (!string.IsNullOrEmpty(configuration["http_ports"]) || !string.IsNullOrEmpty(configuration["https_ports"]))
        {
            yield return "http://*:0";
        }
    }

    private static string? Host(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var rest = url[(start + 3)..];
        var end = rest.StartsWith('[') ? rest.IndexOf(']', StringComparison.Ordinal) + 1 : rest.IndexOfAny([':', '/']);
        return end <= 0 ? rest : rest[..end];
    }

    private static IEnumerable<string> MachineNames()
    {
        yield return Dns.GetHostName();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces().Where(n => n.OperationalStatus == OperationalStatus.Up))
        {
            foreach (var address in nic.GetIPProperties().UnicastAddresses.Select(a => a.Address))
            {
                if (address.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    // Scope ids are not part of a Host header.
                    yield return $"[{new IPAddress(address.GetAddressBytes())}]";
                }
                else
                {
                    yield return address.ToString();
                }
            }
        }
    }
}
