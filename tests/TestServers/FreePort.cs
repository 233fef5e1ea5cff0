using System.Net;
using System.Net.Sockets;

namespace Sources.TestServers;

/// <summary>Asks the kernel for an unused loopback port. Another process may still take it before we do,
/// so callers that bind it later retry with a fresh port on failure.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
