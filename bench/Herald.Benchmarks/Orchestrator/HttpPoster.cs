using System.Buffers.Text;
using System.Net.Sockets;
using System.Text;

namespace Herald.Benchmarks.Orchestrator;

/// <summary>
/// One keep-alive HTTP/1.1 connection that POSTs the same prepared request again and again and reads each
/// answer (Content-Length or chunked). It costs a fraction of <see cref="HttpClient"/>'s CPU per request, so
/// on a 2-core machine the server, not the load generator, sets the measured rate.
/// </summary>
public sealed class HttpPoster : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _request;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    private HttpPoster(Socket socket, byte[] request)
    {
        _socket = socket;
        _request = request;
    }

    /// <summary>Connects to <paramref name="server"/> and prepares a POST of <paramref name="body"/> (JSON) to <paramref name="path"/>.</summary>
    public static async Task<HttpPoster> ConnectAsync(Uri server, string path, byte[] body, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(server.Host, server.Port, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var head = Encoding.ASCII.GetBytes(
            $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
        return new HttpPoster(socket, [.. head, .. body]);
    }

    /// <summary>Sends the request and reads the whole answer; returns its status code.</summary>
    /// <exception cref="IOException">The server closed the connection or answered something that is not HTTP/1.1.</exception>
    public async Task<int> PostAsync(CancellationToken cancellationToken)
    {
        await _socket.SendAsync(_request, SocketFlags.None, cancellationToken);
        var status = ParseStatus(await ReadLineAsync(cancellationToken));
        long contentLength = 0;
        var chunked = false;
        while (await ReadLineAsync(cancellationToken) is { Length: > 0 } header)
        {
            var colon = header.Span.IndexOf((byte)':');
            var name = colon < 0 ? header : header[..colon];
            var value = colon < 0 ? ReadOnlyMemory<byte>.Empty : header[(colon + 1)..];
            if (Ascii.EqualsIgnoreCase(name.Span, "content-length"u8))
            {
                contentLength = ParseNumber(value.Span.Trim((byte)' '), 'D');
            }
            else if (Ascii.EqualsIgnoreCase(name.Span, "transfer-encoding"u8))
            {
                chunked = value.Span.IndexOf("chunked"u8) >= 0;
            }
        }

        if (!chunked)
        {
            await SkipAsync(contentLength, cancellationToken);
            return status;
        }

        while (true)
        {
            var line = (await ReadLineAsync(cancellationToken)).Span;
            var extension = line.IndexOf((byte)';');
            var size = ParseNumber(extension < 0 ? line : line[..extension], 'X');
            if (size == 0)
            {
                while ((await ReadLineAsync(cancellationToken)).Length > 0)
                {
                    // Trailers are read and ignored.
                }

                return status;
            }

            await SkipAsync(size + 2, cancellationToken);
        }
    }

    public void Dispose() => _socket.Dispose();

    private static int ParseStatus(ReadOnlyMemory<byte> line)
    {
        var span = line.Span;
        if (span.Length < 12 || !span.StartsWith("HTTP/1.1 "u8) || !Utf8Parser.TryParse(span.Slice(9, 3), out int status, out _))
        {
            throw new IOException("The server did not answer with an HTTP/1.1 status line.");
        }

        return status;
    }

    private static long ParseNumber(ReadOnlySpan<byte> text, char format)
        => Utf8Parser.TryParse(text, out long value, out var consumed, format) && consumed == text.Length
            ? value
            : throw new IOException("The server sent an invalid length.");

    /// <summary>The next line without its CRLF; valid until the next read.</summary>
    private async ValueTask<ReadOnlyMemory<byte>> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (end >= 0)
            {
                var line = _buffer.AsMemory(_start, end);
                _start += end + 2;
                return line;
            }

            await FillAsync(cancellationToken);
        }
    }

    private async ValueTask SkipAsync(long count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var available = _end - _start;
            if (available >= count)
            {
                _start += (int)count;
                return;
            }

            count -= available;
            _start = _end;
            await FillAsync(cancellationToken);
        }
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            throw new IOException("An HTTP header line is longer than the read buffer.");
        }

        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken);
        if (read == 0)
        {
            throw new IOException("The server closed the connection.");
        }

        _end += read;
    }
}
