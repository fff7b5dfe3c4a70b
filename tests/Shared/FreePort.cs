using System.Net;
using System.Net.Sockets;

namespace Appliance.Testing;

/// <summary>Free TCP ports on loopback, for the real peers a test starts (the network rule: loopback only).</summary>
internal static class FreePort
{
    /// <summary>A port on 127.0.0.1 that nothing listens on at the moment of the call.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
