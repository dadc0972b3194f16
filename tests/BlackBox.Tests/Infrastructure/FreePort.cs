using System.Net;
using System.Net.Sockets;

namespace FingerprintProxy.BlackBox.Infrastructure;

/// <summary>Loopback ports, chosen by the operating system (binding port 0).</summary>
public static class FreePort
{
    /// <summary>A port that was free a moment ago, for a child process that must be told its port.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A port with nothing listening: connecting to it is refused.</summary>
    public static int Closed() => Next();
}
