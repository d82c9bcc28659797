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
        if (IsAuthenticating(auth) || auth.AllowAnonymousOnPublicAddresses)
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

    /// <summary>Whether the server will require authentication: a key is configured, or an explicit scheme is required.</summary>
    public static bool IsAuthenticating(HeraldAuthOptions auth) => auth.HasCredentials || (auth.Required && auth.Scheme is not null);

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
        var host = HostOf(url);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>The host part of a listen address: a name, an address (IPv6 in brackets) or a wildcard (<c>*</c>, <c>+</c>).</summary>
    public static string HostOf(string url)
    {
        // Kestrel's wildcards (http://*:80, http://+:80) are not URIs; they bind every address.
        var start = url.IndexOf("://", StringComparison.Ordinal);
        var rest = start < 0 ? url : url[(start + 3)..];
        return rest.StartsWith('[') ? rest[..(rest.IndexOf(']') + 1)] : rest.Split(':', '/')[0];
    }
}
