using System.Text.Json;

namespace Herald.UniFi;

/// <summary>
/// A WiFi client event or client state record from a UniFi controller, normalized from the controller's
/// field names and value types. MAC addresses are lower-case.
/// </summary>
/// <remarks>
/// For roams, <see cref="ApMac"/>, <see cref="Radio"/> and <see cref="Channel"/> fall back to the
/// <c>_to</c> values when the controller sends no plain field, so they always say where the client is now.
/// </remarks>
public sealed record UniFiEvent
{
    /// <summary>The normalized type, one of <see cref="UniFiEventTypes"/>.</summary>
    public required string Type { get; init; }

    /// <summary>When it happened, in UTC (see <see cref="UniFiFrameParser"/> for the sources tried).</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The controller's <c>site_id</c>, or the configured site name when the entry has none.</summary>
    public required string Site { get; init; }

    /// <summary>The client's MAC address (<c>user</c>, <c>guest</c> or, in <c>sta:sync</c>, <c>mac</c>).</summary>
    public required string ClientMac { get; init; }

    /// <summary>The access point's MAC address (<c>ap</c>, <c>ap_mac</c>, else <see cref="ApTo"/>).</summary>
    public string? ApMac { get; init; }

    /// <summary>The access point's name (<c>ap_name</c>, newer firmware only).</summary>
    public string? ApName { get; init; }

    /// <summary>The access point a roaming client left (<c>ap_from</c>).</summary>
    public string? ApFrom { get; init; }

    /// <summary>The access point a roaming client joined (<c>ap_to</c>).</summary>
    public string? ApTo { get; init; }

    /// <summary>The network name (<c>ssid</c> or <c>essid</c>).</summary>
    public string? Ssid { get; init; }

    /// <summary>The client's host name (<c>hostname</c>, else the alias in <c>name</c>).</summary>
    public string? Hostname { get; init; }

    /// <summary>The radio band such as <c>na</c> or <c>ng</c> (<c>radio</c>, else <see cref="RadioTo"/>).</summary>
    public string? Radio { get; init; }

    /// <summary>The radio band before a roam (<c>radio_from</c>).</summary>
    public string? RadioFrom { get; init; }

    /// <summary>The radio band after a roam (<c>radio_to</c>).</summary>
    public string? RadioTo { get; init; }

    /// <summary>The WiFi channel (<c>channel</c>, else <see cref="ChannelTo"/>), sent as a number or a string.</summary>
    public int? Channel { get; init; }

    /// <summary>The channel before a roam (<c>channel_from</c>).</summary>
    public int? ChannelFrom { get; init; }

    /// <summary>The channel after a roam (<c>channel_to</c>).</summary>
    public int? ChannelTo { get; init; }

    /// <summary>The controller's own description of the event (<c>msg</c>).</summary>
    public string? Message { get; init; }

    /// <summary>Whether the client is a guest (an <c>EVT_WG_*</c> key, or <c>is_guest</c> in <c>sta:sync</c>).</summary>
    public bool IsGuest { get; init; }

    /// <summary>The entry exactly as the controller sent it, detached from the frame's document.</summary>
    public JsonElement Raw { get; init; }

    /// <summary>
    /// The payload to publish into Herald under <see cref="UniFiTopics.ForSite"/>: the same UTF-8 JSON object
    /// as <see cref="UniFiJson.ToUtf8Bytes(UniFiEvent)"/>, <c>type</c> included so the payload stands on its own.
    /// </summary>
    public byte[] ToHeraldPayload() => UniFiJson.ToUtf8Bytes(this);
}
