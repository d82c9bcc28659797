using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Herald.Testing;

/// <summary>
/// HTTP/1.1 over a plain TCP connection, byte for byte as given: for requests no well-behaved client sends (a body
/// that never ends, a huge declared length, a head sent slowly) and for reading answers a client library hides.
/// </summary>
public static class RawHttp
{
    /// <summary>Sends <paramref name="head"/> (the request line and headers, without the empty line) and <paramref name="body"/>, and reads the answer.</summary>
    /// <param name="baseAddress">The server, such as <c>http://127.0.0.1:PORT/</c>.</param>
    /// <param name="head">Such as <c>POST /api/events HTTP/1.1\r\nHost: h\r\nContent-Length: 5</c>.</param>
    /// <param name="body">Sent after the head; the answer may come before the server has read it all.</param>
    public static Task<RawHttpResponse> SendAsync(Uri baseAddress, string head, ReadOnlyMemory<byte> body = default)
        => SendFromAsync(null, baseAddress, head, body);

    /// <summary>As <see cref="SendAsync"/>, from the local address <paramref name="from"/> (such as 127.0.0.2) when given.</summary>
    public static async Task<RawHttpResponse> SendFromAsync(IPAddress? from, Uri baseAddress, string head, ReadOnlyMemory<byte> body = default)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        using var cts = new CancellationTokenSource(Timeouts.Default);
        using var client = await ConnectAsync(baseAddress, from);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + "\r\n\r\n"), cts.Token);
        try
        {
            await stream.WriteAsync(body, cts.Token);
        }
        catch (IOException)
        {
            // The server answered and closed before taking the whole body: the answer is what counts.
        }

        return await ReadResponseAsync(stream, cts.Token);
    }

    /// <summary>Opens a TCP connection to <paramref name="baseAddress"/>, from the local address <paramref name="from"/> when given (any 127.0.0.x is loopback too).</summary>
    public static async Task<TcpClient> ConnectAsync(Uri baseAddress, IPAddress? from = null)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        var client = from is null ? new TcpClient() : new TcpClient(new IPEndPoint(from, 0));
        try
        {
            await client.ConnectAsync(baseAddress.Host, baseAddress.Port).WaitAsync(Timeouts.Default);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Waits until the server closes <paramref name="client"/>'s connection, reading and dropping whatever it sends first; returns what it sent.</summary>
    public static async Task<string> WaitForCloseAsync(TcpClient client, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var cts = new CancellationTokenSource(timeout ?? Timeouts.Default);
        var received = new List<byte>();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await client.GetStream().ReadAsync(buffer, cts.Token)) > 0)
            {
                received.AddRange(buffer.AsSpan(0, read));
            }
        }
        catch (IOException)
        {
            // Reset rather than closed: closed all the same.
        }

        return Encoding.ASCII.GetString([.. received]);
    }

    /// <summary>Reads one response: its status line, headers and body (by Content-Length or chunked); a 101 has no body.</summary>
    public static async Task<RawHttpResponse> ReadResponseAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var received = new List<byte>();
        var buffer = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOf(received, "\r\n\r\n"u8)) < 0)
        {
            await ReadMoreAsync(stream, buffer, received, cancellationToken);
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
                await ReadMoreAsync(stream, buffer, received, cancellationToken);
            }

            body = [.. received.Skip(bodyStart).Take(length)];
        }
        else if (headerLines.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            while (IndexOf(received, "0\r\n\r\n"u8, bodyStart) < 0)
            {
                await ReadMoreAsync(stream, buffer, received, cancellationToken);
            }

            body = Dechunk([.. received.Skip(bodyStart)]);
        }
        else
        {
            body = [];
        }

        return new RawHttpResponse(status, Encoding.UTF8.GetString(body), headerLines);
    }

    private static async Task ReadMoreAsync(Stream stream, byte[] buffer, List<byte> received, CancellationToken cancellationToken)
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
