using System.Net;
using System.Net.Sockets;

namespace Herald.Benchmarks.Load;

/// <summary>
/// Spreads client sockets over several loopback source addresses: each 127.0.0.x has its own ~28,000
/// ephemeral ports, so tens of thousands of connections (and their TIME_WAITs) never run out.
/// </summary>
public sealed class SourceAddresses
{
    private readonly IReadOnlyList<IPAddress> _addresses;
    private int _next;

    public SourceAddresses(IReadOnlyList<IPAddress> addresses)
    {
        _addresses = addresses;
    }

    /// <summary>Parses <c>127.0.0.2-127.0.0.9</c> (a range in the last octet) or a comma-separated list.</summary>
    public static IReadOnlyList<IPAddress> ParseRange(string text)
    {
        if (text.Contains('-', StringComparison.Ordinal))
        {
            var parts = text.Split('-');
            var first = IPAddress.Parse(parts[0]).GetAddressBytes();
            var last = IPAddress.Parse(parts[1]).GetAddressBytes();
            var list = new List<IPAddress>();
            for (int b = first[3]; b <= last[3]; b++)
            {
                list.Add(new IPAddress([first[0], first[1], first[2], (byte)b]));
            }
            return list;
        }
        return [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(IPAddress.Parse)];
    }

    /// <summary>A handler whose connections bind to the next source address before connecting.</summary>
    public SocketsHttpHandler CreateHandler()
    {
        return new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    if (_addresses.Count > 0)
                    {
                        var index = (int)((uint)Interlocked.Increment(ref _next) % (uint)_addresses.Count);
                        socket.Bind(new IPEndPoint(_addresses[index], 0));
                    }
                    var host = IPAddress.Parse(context.DnsEndPoint.Host);
                    await socket.ConnectAsync(new IPEndPoint(host, context.DnsEndPoint.Port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }
}
