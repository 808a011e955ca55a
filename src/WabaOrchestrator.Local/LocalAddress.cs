using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace WabaOrchestrator.Local;

/// <summary>
/// This host's own base address as a client on this machine reaches it. Only known once Kestrel has bound (port 0,
/// <c>--urls</c>), so it is read from the server at first use after start; before that it is null.
/// </summary>
public sealed class LocalAddress(IServer server, IHostApplicationLifetime lifetime)
{
    private Uri? _resolved;

    public Uri? Current => _resolved ??= Resolve();

    public Uri Required => Current ?? throw new InvalidOperationException("The host's address is not known before it has started listening.");

    private Uri? Resolve()
    {
        // While starting, the feature still lists the configured URLs (port 0 included): wait for the bound ones.
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
        if (!lifetime.ApplicationStarted.IsCancellationRequested || addresses is null || addresses.Count == 0)
        {
            return null;
        }

        // Plain http first: the host calls itself (sandbox, webhook) and needs no certificate for that.
        var chosen = addresses.OrderBy(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? 0 : 1).First();
        var uri = new Uri(chosen.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        var builder = new UriBuilder(uri) { Path = "/" };
        if (builder.Host is "0.0.0.0" or "[::]" or "::")
        {
            builder.Host = "127.0.0.1";
        }

        return builder.Uri;
    }
}
