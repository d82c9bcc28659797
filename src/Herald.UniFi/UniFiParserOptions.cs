namespace Herald.UniFi;

/// <summary>Settings for <see cref="UniFiFrameParser"/>.</summary>
public sealed class UniFiParserOptions
{
    /// <summary>
    /// The largest frame accepted, in bytes (4 MiB). The WebSocket reader stops buffering a message at this
    /// size and discards the rest, so an oversized frame never costs more memory than this.
    /// </summary>
    public const int DefaultMaxFrameBytes = 4 * 1024 * 1024;

    /// <summary>The site name used when an entry carries no <c>site_id</c>, as in <c>/wss/s/{site}/events</c>.</summary>
    public string Site { get; set; } = "default";

    /// <summary>The largest frame accepted, in bytes; <see cref="DefaultMaxFrameBytes"/> unless changed.</summary>
    public int MaxFrameBytes { get; set; } = DefaultMaxFrameBytes;
}
