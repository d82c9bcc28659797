using System.Text.Json;
using Herald.UniFi.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Herald.UniFi;

/// <summary>
/// Turns the JSON frames a UniFi Network controller pushes on <c>/wss/s/{site}/events</c> into
/// <see cref="UniFiEvent"/>s. Nothing a controller sends is fatal: bad frames and entries are skipped,
/// logged and counted. Safe to use from any number of threads.
/// </summary>
/// <remarks>
/// <para>Read: <c>events</c> frames whose entries have a WiFi client key (<c>EVT_WU_Connected</c>,
/// <c>EVT_WU_Disconnected</c>, <c>EVT_WU_Roam</c>, <c>EVT_WU_RoamRadio</c> and the <c>EVT_WG_*</c> guest
/// equivalents), and <c>sta:sync</c> frames, one wireless client record per entry. <c>data</c> may be an
/// array or a single object.</para>
/// <para>An entry's time is <c>time</c> (unix milliseconds), else <c>datetime</c> (ISO 8601), else for
/// <c>sta:sync</c> <c>last_seen</c> then <c>assoc_time</c> (unix seconds), else the receive time.</para>
/// </remarks>
public sealed class UniFiFrameParser
{
    private readonly string _site;
    private readonly int _maxFrameBytes;
    private readonly ILogger _logger;

    /// <summary>Creates a parser.</summary>
    /// <param name="options">The configured site and frame limit; defaults when omitted.</param>
    /// <param name="statistics">Totals every parsed frame is added to, or <see langword="null"/>.</param>
    /// <param name="logger">Where skipped frames are reported.</param>
    public UniFiFrameParser(UniFiParserOptions? options = null, UniFiParserStatistics? statistics = null, ILogger? logger = null)
    {
        options ??= new UniFiParserOptions();
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Site, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxFrameBytes, nameof(options));
        _site = options.Site;
        _maxFrameBytes = options.MaxFrameBytes;
        Statistics = statistics;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The largest frame this parser accepts, in bytes.</summary>
    public int MaxFrameBytes => _maxFrameBytes;

    /// <summary>The totals this parser adds to, if any.</summary>
    public UniFiParserStatistics? Statistics { get; }

    /// <summary>Parses one frame.</summary>
    /// <param name="frame">The frame's UTF-8 bytes, as received.</param>
    /// <param name="receivedAt">When the frame arrived; the time of entries that carry none.</param>
    public UniFiParseResult Parse(ReadOnlySpan<byte> frame, DateTimeOffset receivedAt)
    {
        var result = frame.Length > _maxFrameBytes
            ? Oversized(frame.Length)
            : ParseDocument(frame, receivedAt);
        return Finish(result);
    }

    /// <summary>
    /// Records a frame the caller dropped unread because it exceeded <see cref="MaxFrameBytes"/>, such as a
    /// WebSocket message the reader stopped buffering at the limit.
    /// </summary>
    /// <param name="frameLength">The bytes seen, at least <see cref="MaxFrameBytes"/> + 1.</param>
    public UniFiParseResult RejectOversized(long frameLength) => Finish(Oversized(frameLength));

    private UniFiParseResult Finish(UniFiParseResult result)
    {
        if (!result.IsValid)
        {
            Log.FrameSkipped(_logger, result.FrameLength, result.Error, result.ErrorDescription);
        }
        else if (result.IsUnknownMessageType)
        {
            Log.UnknownMessageType(_logger, result.MessageType!);
        }
        else if (result.InvalidEntries > 0)
        {
            Log.InvalidEntries(_logger, result.InvalidEntries, result.MessageType!);
        }

        Statistics?.Record(result);
        return result;
    }

    private UniFiParseResult Oversized(long length)
        => new(length, null, UniFiFrameError.Oversized, $"The frame exceeds the {_maxFrameBytes}-byte limit.");

    private UniFiParseResult ParseDocument(ReadOnlySpan<byte> frame, DateTimeOffset receivedAt)
    {
        var json = frame.StartsWith("\uFEFF"u8) ? frame[3..] : frame;
        if (json.Trim(" \t\r\n"u8).IsEmpty)
        {
            return new(frame.Length, null, UniFiFrameError.Empty, "The frame is empty.");
        }

        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(json);
            document = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                document.Dispose();
                return new(frame.Length, null, UniFiFrameError.InvalidJson, "The frame has content after its JSON value.");
            }
        }
        catch (JsonException ex)
        {
            return new(frame.Length, null, UniFiFrameError.InvalidJson, ex.Message);
        }

        using (document)
        {
            return FrameReader.Read(document.RootElement, frame.Length, _site, receivedAt);
        }
    }
}
