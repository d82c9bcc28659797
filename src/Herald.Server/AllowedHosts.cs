using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace Herald.Server;

/// <summary>
/// The <c>Host</c> names <c>herald serve</c> answers to, which ASP.NET Core's host filtering enforces (and Herald's
/// own socket path with it): a page on a domain that rebinds to this server's address (DNS rebinding) names its own
/// domain, is answered 400, and cannot use a server that trusts whoever reaches it.
/// </summary>
internal static class AllowedHosts
{
    /// <summary>Names that reach this machine only: always allowed.</summary>
    public static readonly string[] Loopback = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>
    /// <paramref name="configured"/> (<c>Herald:AllowedHosts</c>) beside <see cref="Loopback"/> when set. Else, with
    /// authentication on, any host: a rebinding page gains nothing, as browsers attach no bearer token or API key on
    /// their own. Else the hosts of the listen addresses (<c>urls</c>, <c>Kestrel:Endpoints</c>) and, for one that
    /// binds every address (<c>0.0.0.0</c>, <c>*</c>, a name), this machine's addresses and name: an address or the
    /// machine's own name is never a rebinding page's.
    /// </summary>
    public static IReadOnlyList<string> For(IConfiguration configuration, IList<string> configured, bool authenticated)
    {
        if (configured.Contains("*") || (configured.Count == 0 && authenticated))
        {
            return ["*"];
        }

        if (configured.Count > 0)
        {
            return [.. Loopback.Concat(configured).Distinct(StringComparer.OrdinalIgnoreCase)];
        }

        var hosts = new List<string>(Loopback);
        foreach (var url in PublicBind.Addresses(configuration))
        {
            var host = PublicBind.HostOf(url);
            if (!IsWildcard(host))
            {
                hosts.Add(host);
            }

            // Kestrel binds every address for a wildcard and for a name other than localhost.
            if (IsWildcard(host) || (!PublicBind.IsLoopback(url) && !IPAddress.TryParse(host.Trim('[', ']'), out _)))
            {
                hosts.AddRange(ThisMachine());
            }
        }

        return [.. hosts.Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>What is wrong with a <c>Herald:AllowedHosts</c> entry, or null: a host name or address, <c>*.example.com</c> or <c>*</c>.</summary>
    public static string? Check(string entry)
        => string.IsNullOrWhiteSpace(entry) || entry.Contains("://", StringComparison.Ordinal) || entry.Contains('/') || entry.Any(char.IsWhiteSpace)
            ? $"Herald:AllowedHosts entry '{entry}' is not a host name such as herald.example.com, *.example.com or *."
            : null;

    private static bool IsWildcard(string host) => host is "*" or "+" or "0.0.0.0" or "[::]";

    private static IEnumerable<string> ThisMachine()
    {
        var names = new List<string> { Environment.MachineName };
        try
        {
            foreach (var address in NetworkInterface.GetAllNetworkInterfaces().SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(a => a.Address))
            {
                // Browsers send IPv6 hosts in brackets and without a zone.
                names.Add(address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{new IPAddress(address.GetAddressBytes())}]" : address.ToString());
            }
        }
        catch (NetworkInformationException)
        {
            // Without the list, clients use a configured name or Herald:AllowedHosts.
        }

        return names;
    }
}
