using System.Net;
using System.Net.Sockets;

namespace WabaOrchestrator.Testing.Processes;

/// <summary>Ports for servers whose address must be known before they start (a webhook URL, a child's <c>--urls</c>).</summary>
public static class LoopbackPort
{
    /// <summary>A loopback port the OS just handed out and released.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
