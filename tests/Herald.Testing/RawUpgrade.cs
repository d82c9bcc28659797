using System.Net.Sockets;
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
    /// <param name="headers">Extra request headers, such as <c>Origin</c>.</param>
    public static async Task<RawHttpResponse> SendAsync(Uri baseAddress, string pathAndQuery, params (string Name, string Value)[] headers)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentNullException.ThrowIfNull(headers);
        using var cts = new CancellationTokenSource(Timeouts.Default);
        using var client = new TcpClient();
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port, cts.Token);
        var stream = client.GetStream();
        var request = new StringBuilder()
            .Append("GET ").Append(pathAndQuery).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(baseAddress.Authority).Append("\r\n")
            .Append("Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n")
            .Append("Sec-WebSocket-Key: ").Append(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))).Append("\r\n");
        foreach (var (name, value) in headers)
        {
            request.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        request.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()), cts.Token);

        var received = new List<byte>();
        var buffer = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOf(received, "\r\n\r\n"u8)) < 0)
        {
            await ReadMoreAsync(stream, buffer, received, cts.Token);
        }

        var head = Encoding.ASCII.GetString([.. received.Take(headerEnd)]);
        var lines = head.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        if (status == 101)
        {
            return new RawHttpResponse(status, string.Empty);
        }

        var headerLines = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var bodyStart = headerEnd + 4;
        byte[] body;
        if (headerLines.TryGetValue("Content-Length", out var lengthText))
        {
            var length = int.Parse(lengthText, System.Globalization.CultureInfo.InvariantCulture);
            while (received.Count < bodyStart + length)
            {
                await ReadMoreAsync(stream, buffer, received, cts.Token);
            }

            body = [.. received.Skip(bodyStart).Take(length)];
        }
        else if (headerLines.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            while (IndexOf(received, "0\r\n\r\n"u8, bodyStart) < 0)
            {
                await ReadMoreAsync(stream, buffer, received, cts.Token);
            }

            body = Dechunk([.. received.Skip(bodyStart)]);
        }
        else
        {
            body = [];
        }

        return new RawHttpResponse(status, Encoding.UTF8.GetString(body), headerLines);
    }

    private static async Task ReadMoreAsync(NetworkStream stream, byte[] buffer, List<byte> received, CancellationToken cancellationToken)
    {
        var read = await stream.ReadAsync(buffer, cancellationToken);
        if (read == 0)
        {
            throw new IOException("The server closed the connection before the response was complete.");
        }

        received.AddRange(buffer.AsSpan(0, read));
    }

    private static byte[] Dechunk(byte[] chunked)
    {
        var body = new List<byte>();
        var position = 0;
        while (true)
        {
            var lineEnd = IndexOf([.. chunked], "\r\n"u8, position);
            var size = Convert.ToInt32(Encoding.ASCII.GetString(chunked, position, lineEnd - position).Split(';')[0], 16);
            if (size == 0)
            {
                return [.. body];
            }

            body.AddRange(chunked.AsSpan(lineEnd + 2, size));
            position = lineEnd + 2 + size + 2;
        }
    }

    private static int IndexOf(List<byte> haystack, ReadOnlySpan<byte> needle, int start = 0)
    {
        var index = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(haystack)[start..].IndexOf(needle);
        return index < 0 ? -1 : index + start;
    }
}
