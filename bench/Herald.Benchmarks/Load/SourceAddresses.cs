using System.Net;

namespace Herald.Benchmarks.Load;

/// <summary>
/// Loopback source addresses for subscriber sockets: each 127.0.0.x has its own ~28,000 ephemeral ports, so tens of
/// thousands of connections (and their TIME_WAITs) never run out.
/// </summary>
internal static class SourceAddresses
{
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
}
