using System.Text.Json;

namespace Herald.UniFi;

/// <summary>A human-readable log line for one <see cref="UniFiEvent"/>, built by <see cref="UniFiLogConverter"/>.</summary>
public sealed record UniFiLogEntry
{
    /// <summary>The <see cref="Source"/> of every entry: events arrive over the controller's WebSocket.</summary>
    public const string WebSocketSource = "websocket";

    /// <summary>The level of WiFi events (<c>wu.*</c>, <c>wg.*</c>).</summary>
    public const string InfoLevel = "INFO";

    /// <summary>The level of <c>sta:sync</c> state records, which arrive often and say little new.</summary>
    public const string DebugLevel = "DEBUG";

    /// <summary>When the event happened, in UTC.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Where the entry came from; always <see cref="WebSocketSource"/>.</summary>
    public string Source { get; init; } = WebSocketSource;

    /// <summary><see cref="InfoLevel"/> or <see cref="DebugLevel"/>.</summary>
    public required string Level { get; init; }

    /// <summary>The sentence describing the event (formats in <see cref="UniFiLogConverter.ToLogEntry"/>).</summary>
    public required string Message { get; init; }

    /// <summary>The client's MAC address, lower-case.</summary>
    public required string ClientMac { get; init; }

    /// <summary>The controller's entry as received (<see cref="UniFiEvent.Raw"/>).</summary>
    public JsonElement Data { get; init; }
}
