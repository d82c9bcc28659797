using System.Buffers;
using System.Text;

namespace Herald.Internal.Transports.Direct;

/// <summary>
/// The head of a WebSocket handshake read straight from a connection (RFC 6455 §4.2.1): only requests that
/// are plainly a valid upgrade to Herald's path are taken; anything else is left to the HTTP layer.
/// </summary>
internal sealed class UpgradeRequest
{
    /// <summary>The most bytes read while looking for the end of the head; longer heads go to the HTTP layer.</summary>
    public const int MaxHeadBytes = 8 * 1024;

    private UpgradeRequest(string query, string host, string key)
    {
        Query = query;
        Host = host;
        Key = key;
    }

    /// <summary>The query string, with its leading '?' (empty when there is none).</summary>
    public string Query { get; }

    public string Host { get; }

    public string Key { get; }

    public string? Origin { get; private set; }

    public string? UserAgent { get; private set; }

    /// <summary>The <c>Authorization</c> header, for authentication; never logged.</summary>
    public string? Authorization { get; private set; }

    /// <summary>The <c>Cookie</c> header, for an app's cookie authentication; never logged.</summary>
    public string? Cookie { get; private set; }

    /// <summary>Reads what <paramref name="buffer"/> holds of the head of the first request.</summary>
    /// <param name="buffer">The bytes received so far.</param>
    /// <param name="requestLinePrefix">"GET " and the path, in ASCII.</param>
    /// <param name="limits">Kestrel's limits: a head past them is not ours, so Kestrel refuses it.</param>
    /// <param name="request">The request when the result is <see cref="UpgradeParse.Ours"/>.</param>
    /// <param name="headEnd">Just past the head (and its empty line) when the result is <see cref="UpgradeParse.Ours"/>.</param>
    public static UpgradeParse TryParse(in ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> requestLinePrefix, HeadLimits limits, out UpgradeRequest? request, out SequencePosition headEnd)
    {
        request = null;
        headEnd = default;

        // Decide on the first bytes when they already show it is not ours, so other requests pass at once.
        Span<byte> start = stackalloc byte[requestLinePrefix.Length + 1];
        var seen = (int)Math.Min(buffer.Length, start.Length);
        buffer.Slice(0, seen).CopyTo(start);
        var prefixSeen = Math.Min(seen, requestLinePrefix.Length);
        if (!start[..prefixSeen].SequenceEqual(requestLinePrefix[..prefixSeen]))
        {
            return UpgradeParse.NotOurs;
        }

        if (seen == start.Length && start[^1] is not (byte)' ' and not (byte)'?')
        {
            return UpgradeParse.NotOurs;
        }

        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> head, "\r\n\r\n"u8))
        {
            return buffer.Length > MaxHeadBytes ? UpgradeParse.NotOurs : UpgradeParse.NeedMore;
        }

        if (head.Length > MaxHeadBytes)
        {
            return UpgradeParse.NotOurs;
        }

        request = Parse(head.IsSingleSegment ? head.FirstSpan : head.ToArray(), requestLinePrefix.Length, limits);
        headEnd = reader.Position;
        return request is null ? UpgradeParse.NotOurs : UpgradeParse.Ours;
    }

    private static UpgradeRequest? Parse(ReadOnlySpan<byte> head, int prefixLength, HeadLimits limits)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var requestLine = lineEnd < 0 ? head : head[..lineEnd];
        if (!requestLine.EndsWith(" HTTP/1.1"u8))
        {
            return null;
        }

        // As Kestrel counts: the request line with its CRLF; the header lines with theirs and the empty line, which
        // Kestrel lets past the total by those last two bytes.
        if (requestLine.Length + 2 > limits.MaxRequestLineSize || head.Length - requestLine.Length + 2 > limits.MaxRequestHeadersTotalSize + 2)
        {
            return null;
        }

        var target = requestLine[prefixLength..^" HTTP/1.1".Length];
        if (target.Length > 0 && (target[0] != (byte)'?' || target.IndexOfAny((byte)' ', (byte)'#') >= 0))
        {
            return null;
        }

        string? host = null, key = null, version = null, upgrade = null, connection = null, origin = null, userAgent = null, authorization = null, cookie = null;
        var rest = lineEnd < 0 ? [] : head[(lineEnd + 2)..];
        var count = 0;
        while (rest.Length > 0)
        {
            if (++count > limits.MaxRequestHeaderCount)
            {
                return null;
            }

            var end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || line[0] is (byte)' ' or (byte)'\t' || line[colon - 1] is (byte)' ' or (byte)'\t')
            {
                // Folded or malformed lines: the HTTP layer knows how to refuse them.
                return null;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (value.ContainsAnyInRange((byte)0, (byte)0x1f) || value.Contains((byte)0x7f))
            {
                return null;
            }

            var text = Encoding.Latin1.GetString(value);
            if (Is(name, "host"u8) ? !Set(ref host, text)
                : Is(name, "sec-websocket-key"u8) ? !Set(ref key, text)
                : Is(name, "sec-websocket-version"u8) ? !Set(ref version, text)
                : Is(name, "upgrade"u8) ? !Set(ref upgrade, text)
                : Is(name, "connection"u8) ? !Set(ref connection, text)
                : Is(name, "origin"u8) ? !Set(ref origin, text)
                : Is(name, "user-agent"u8) ? !Set(ref userAgent, text)
                : Is(name, "authorization"u8) ? !Set(ref authorization, text)
                : Is(name, "cookie"u8) ? !Set(ref cookie, text)
                : Is(name, "content-length"u8) || Is(name, "transfer-encoding"u8))
            {
                // Repeated headers, or a body on a handshake.
                return null;
            }
        }

        if (host is null || key is null || version != "13" || !HasToken(upgrade, "websocket") || !HasToken(connection, "upgrade") || !IsKey(key))
        {
            return null;
        }

        return new UpgradeRequest(Encoding.Latin1.GetString(target), host, key) { Origin = origin, UserAgent = userAgent, Authorization = authorization, Cookie = cookie };
    }

    private static bool Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> expected) => Ascii.EqualsIgnoreCase(name, expected);

    private static bool Set(ref string? field, string value)
    {
        if (field is not null)
        {
            return false;
        }

        field = value;
        return true;
    }

    private static bool HasToken(string? list, string token)
    {
        foreach (var part in (list ?? "").Split(','))
        {
            if (part.Trim().Equals(token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsKey(string key)
    {
        Span<byte> nonce = stackalloc byte[18];
        return Convert.TryFromBase64String(key, nonce, out var length) && length == 16;
    }
}
