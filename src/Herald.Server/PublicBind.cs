using System.Net;
using Microsoft.Extensions.Configuration;

namespace Herald.Server;

/// <summary>
/// Refuses to serve an address other than loopback with authentication off: anyone who can reach such an address
/// could read every topic, publish anything and take over sessions. <c>Herald:Auth:AllowAnonymousOnPublicAddresses</c>
/// overrides it, for a server behind something else that authenticates.
/// </summary>
internal static class PublicBind
{
    public static void Check(IConfiguration configuration, HeraldAuthOptions auth)
    {
        if (auth.HasCredentials || auth.AllowAnonymousOnPublicAddresses || (auth.Required && auth.Scheme is not null))
        {
            return;
        }

        var exposed = Addresses(configuration).Where(url => !IsLoopback(url)).ToList();
        if (exposed.Count > 0)
        {
            throw new HeraldConfigurationException(
                $"herald serve would listen on {string.Join(", ", exposed)} with authentication off, so anyone who can reach it could read and publish everything. " +
                "Configure authentication (Herald:Auth:Jwt:SecretFile or Herald:Auth:ApiKeys; see docs/security.md), listen on localhost only, " +
                "or, behind a proxy that authenticates, set Herald:Auth:AllowAnonymousOnPublicAddresses=true.");
        }
    }

    /// <summary>The addresses Kestrel is asked to listen on: <c>urls</c> and every <c>Kestrel:Endpoints:*:Url</c>.</summary>
    public static IEnumerable<string> Addresses(IConfiguration configuration)
    {
        foreach (var url in (configuration["urls"] ?? HeraldServer.DefaultUrl).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return url;
        }

        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url)
            {
                yield return url;
            }
        }
    }

    public static bool IsLoopback(string url)
    {
        // Kestrel's wildcards (http://*:80, http://+:80) are not URIs; they bind every address.
        var start = url.IndexOf("://", StringComparison.Ordinal);
        var rest = start < 0 ? url : url[(start + 3)..];
        var host = rest.StartsWith('[') ? rest[..(rest.IndexOf(']') + 1)] : rest.Split(':', '/')[0];
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }
}
