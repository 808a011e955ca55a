using System.Net;
using System.Net.Sockets;

namespace WabaOrchestrator.Onboarding.Callbacks;

/// <summary>Resolves a callback's host name to the addresses to choose from.</summary>
internal delegate Task<IPAddress[]> CallbackHostResolver(string host, CancellationToken cancellationToken);

/// <summary>
/// The callback client's only way out: it resolves the host itself, drops every address
/// <see cref="CallbackAddresses"/> does not allow, and connects to one of the rest, all in the connect callback, so
/// the address checked is the address connected to (no DNS rebinding between a check and the connection). It never
/// follows a redirect (a 3xx is a failed delivery: the next hop would be a new, unchecked request carrying the
/// signature) and never uses a proxy (the proxy would pick the address).
/// </summary>
public static class CallbackHttpHandler
{
    public static SocketsHttpHandler Create(CallbackOptions options) => Create(options, Dns.GetHostAddressesAsync);

    internal static SocketsHttpHandler Create(CallbackOptions options, CallbackHostResolver resolve)
    {
        var allowPrivate = options.AllowPrivateAddresses;
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowPrivate, resolve, cancellationToken),
        };
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowPrivate, CallbackHostResolver resolve, CancellationToken cancellationToken)
    {
        var host = endPoint.Host.TrimStart('[').TrimEnd(']');
        var candidates = IPAddress.TryParse(host, out var literal) ? [literal] : await resolve(host, cancellationToken);
        var allowed = candidates.Where(a => CallbackAddresses.IsAllowed(a, allowPrivate)).ToArray();
        if (allowed.Length == 0)
        {
            throw new CallbackRefusedException(Refusal(host, candidates, allowPrivate));
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string Refusal(string host, IPAddress[] candidates, bool allowPrivate)
    {
        if (candidates.Length == 0)
        {
            return $"The status callback host {host} resolved to no address.";
        }

        var described = string.Join(", ", candidates.Select(a => $"{a} ({CallbackAddresses.Classify(a).Range})"));
        var hint = !allowPrivate && candidates.Any(a => CallbackAddresses.Classify(a).Kind == CallbackAddressKind.Private)
            ? " Onboarding:Callbacks:AllowPrivateAddresses is off."
            : string.Empty;
        return $"The status callback to {host} was refused: it resolves only to addresses callbacks may not reach: {described}.{hint}";
    }
}
