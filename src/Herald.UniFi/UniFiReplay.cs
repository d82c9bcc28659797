using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Herald.UniFi;

/// <summary>
/// Reads a capture of controller frames, one JSON frame per line, as <c>herald unifi replay FILE</c> does.
/// Blank lines are ignored; invalid lines are skipped, logged and counted by the parser (see
/// <see cref="UniFiFrameParser.Statistics"/>), never fatal. Entries with no time of their own are stamped
/// with the time their line was read.
/// </summary>
public static class UniFiReplay
{
    /// <summary>The normalized events of a capture, in file order.</summary>
    /// <param name="reader">The capture.</param>
    /// <param name="site">The site name for entries without <c>site_id</c>.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    public static IAsyncEnumerable<UniFiEvent> ReadEventsAsync(TextReader reader, string site, CancellationToken cancellationToken = default)
        => ReadEventsAsync(reader, new UniFiFrameParser(new UniFiParserOptions { Site = site }), cancellationToken);

    /// <summary>The normalized events of a capture, in file order, parsed by <paramref name="parser"/>.</summary>
    /// <param name="reader">The capture.</param>
    /// <param name="parser">The parser, carrying the site, the frame limit, statistics and logger.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    public static async IAsyncEnumerable<UniFiEvent> ReadEventsAsync(
        TextReader reader, UniFiFrameParser parser, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(parser);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            foreach (var e in ParseLine(parser, line).Events)
            {
                yield return e;
            }
        }
    }

    /// <summary>The log entries of a capture's events, in file order.</summary>
    /// <param name="reader">The capture.</param>
    /// <param name="parser">The parser, carrying the site, the frame limit, statistics and logger.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    public static async IAsyncEnumerable<UniFiLogEntry> ReadLogEntriesAsync(
        TextReader reader, UniFiFrameParser parser, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var e in ReadEventsAsync(reader, parser, cancellationToken).ConfigureAwait(false))
        {
            yield return UniFiLogConverter.ToLogEntry(e);
        }
    }

    private static UniFiParseResult ParseLine(UniFiFrameParser parser, string line)
    {
        var receivedAt = DateTimeOffset.UtcNow;
        var length = Encoding.UTF8.GetByteCount(line);
        if (length > parser.MaxFrameBytes)
        {
            return parser.RejectOversized(length);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(line, buffer);
            return parser.Parse(buffer.AsSpan(0, written), receivedAt);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
