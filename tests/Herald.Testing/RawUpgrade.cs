using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Herald.Testing;

/// <summary>
/// Sends a WebSocket upgrade request over a plain TCP connection, byte for byte as given, and reads the
/// answer: for a refused upgrade the status and body (which <see cref="System.Net.WebSockets.ClientWebSocket"/>
/// hides), for an accepted one just 101.
/// </summary>
public static class RawUpgrade
{
    /// <summary>Sends <c>GET <paramref name="pathAndQuery"/></c> with upgrade headers plus <paramref name="headers"/>.</summary>
    /// <param name="baseAddress">The server, such as <c>http://127.0.0.1:PORT/</c>.</param>
    /// <param name="pathAndQuery">Sent unchanged, so a literal <c>+</c> stays a <c>+</c>.</param>
    /// <param name="headers">Extra request headers, such as <c>Origin</c>; a <c>Host</c> among them replaces the server's authority.</param>
    public static Task<RawHttpResponse> SendAsync(Uri baseAddress, string pathAndQuery, params (string Name, string Value)[] headers)
        => SendFromAsync(null, baseAddress, pathAndQuery, headers);

    /// <summary>As <see cref="SendAsync"/>, from the local address <paramref name="from"/> (such as 127.0.0.2) when given.</summary>
    public static async Task<RawHttpResponse> SendFromAsync(IPAddress? from, Uri baseAddress, string pathAndQuery, params (string Name, string Value)[] headers)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentNullException.ThrowIfNull(headers);
        using var cts = new CancellationTokenSource(Timeouts.Default);
        using var client = await RawHttp.ConnectAsync(baseAddress, from);
        var stream = client.GetStream();
        var request = new StringBuilder()
            .Append("GET ").Append(pathAndQuery).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(headers.FirstOrDefault(h => h.Name.Equals("Host", StringComparison.OrdinalIgnoreCase)).Value ?? baseAddress.Authority).Append("\r\n")
            .Append("Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n")
            .Append("Sec-WebSocket-Key: ").Append(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))).Append("\r\n");
        foreach (var (name, value) in headers.Where(h => !h.Name.Equals("Host", StringComparison.OrdinalIgnoreCase)))
        {
            request.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        request.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()), cts.Token);

        return await RawHttp.ReadResponseAsync(stream, cts.Token);
    }
}
