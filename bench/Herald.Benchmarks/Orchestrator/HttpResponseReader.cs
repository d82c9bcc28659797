using System.Buffers.Text;
using System.Text;

namespace Herald.Benchmarks.Orchestrator;

/// <summary>Finds one whole HTTP/1.1 answer (Content-Length or chunked) at the start of a buffer.</summary>
public static class HttpResponseReader
{
    /// <summary>
    /// True when <paramref name="buffer"/> starts with a whole answer; <paramref name="consumed"/> is its length in
    /// bytes and <paramref name="status"/> its status code. False when more bytes are needed.
    /// </summary>
    /// <exception cref="IOException">The bytes are not an HTTP/1.1 answer.</exception>
    public static bool TryRead(ReadOnlySpan<byte> buffer, out int consumed, out int status)
    {
        consumed = 0;
        status = 0;
        var headEnd = buffer.IndexOf("\r\n\r\n"u8);
        if (headEnd < 0)
        {
            return false;
        }

        var head = buffer[..headEnd];
        var lineEnd = head.IndexOf("\r\n"u8);
        status = ParseStatus(lineEnd < 0 ? head : head[..lineEnd]);
        long contentLength = 0;
        var chunked = false;
        var headers = lineEnd < 0 ? [] : head[(lineEnd + 2)..];
        while (!headers.IsEmpty)
        {
            var end = headers.IndexOf("\r\n"u8);
            var header = end < 0 ? headers : headers[..end];
            headers = end < 0 ? [] : headers[(end + 2)..];
            var colon = header.IndexOf((byte)':');
            if (colon < 0)
            {
                continue;
            }

            var name = header[..colon];
            var value = header[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "content-length"u8))
            {
                contentLength = ParseNumber(value, 'D');
            }
            else if (Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8))
            {
                chunked = value.IndexOf("chunked"u8) >= 0;
            }
        }

        var position = (long)headEnd + 4;
        if (!chunked)
        {
            var length = position + contentLength;
            consumed = length <= buffer.Length ? (int)length : 0;
            return consumed > 0;
        }

        while (true)
        {
            var rest = buffer[(int)Math.Min(position, buffer.Length)..];
            var end = rest.IndexOf("\r\n"u8);
            if (end < 0)
            {
                return false;
            }

            var line = rest[..end];
            var extension = line.IndexOf((byte)';');
            var size = ParseNumber(extension < 0 ? line : line[..extension], 'X');
            position += end + 2;
            if (size == 0)
            {
                return SkipTrailers(buffer, position, out consumed);
            }

            position += size + 2;
            if (position > buffer.Length)
            {
                return false;
            }
        }
    }

    private static bool SkipTrailers(ReadOnlySpan<byte> buffer, long position, out int consumed)
    {
        consumed = 0;
        while (true)
        {
            var end = buffer[(int)Math.Min(position, buffer.Length)..].IndexOf("\r\n"u8);
            if (end < 0)
            {
                return false;
            }

            position += end + 2;
            if (end == 0)
            {
                consumed = (int)position;
                return true;
            }
        }
    }

    private static int ParseStatus(ReadOnlySpan<byte> line)
        => line.Length >= 12 && line.StartsWith("HTTP/1.1 "u8) && Utf8Parser.TryParse(line.Slice(9, 3), out int status, out _)
            ? status
            : throw new IOException("The server did not answer with an HTTP/1.1 status line.");

    private static long ParseNumber(ReadOnlySpan<byte> text, char format)
        => Utf8Parser.TryParse(text, out long value, out var consumed, format) && consumed == text.Length
            ? value
            : throw new IOException("The server sent an invalid length.");
}
