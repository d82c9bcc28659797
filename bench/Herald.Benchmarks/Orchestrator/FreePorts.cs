using System.Net;
using System.Net.Sockets;

namespace Herald.Benchmarks.Orchestrator;

/// <summary>Free loopback ports for the servers of a run.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
