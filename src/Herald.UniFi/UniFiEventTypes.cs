namespace Herald.UniFi;

/// <summary>The normalized event types <see cref="UniFiFrameParser"/> produces.</summary>
/// <remarks>
/// Controllers signal WiFi activity with <c>EVT_WU_*</c> (users) and <c>EVT_WG_*</c> (guests) keys inside
/// <c>events</c> frames; these names are what Herald publishes instead.
/// </remarks>
public static class UniFiEventTypes
{
    /// <summary>A client joined an access point (<c>EVT_WU_Connected</c>).</summary>
    public const string Connected = "wu.connected";

    /// <summary>A client left the network (<c>EVT_WU_Disconnected</c>).</summary>
    public const string Disconnected = "wu.disconnected";

    /// <summary>A client moved from one access point to another (<c>EVT_WU_Roam</c>).</summary>
    public const string Roam = "wu.roam";

    /// <summary>A client changed radio band or channel on the same access point (<c>EVT_WU_RoamRadio</c>).</summary>
    public const string RoamRadio = "wu.roam_radio";

    /// <summary>A guest joined an access point (<c>EVT_WG_Connected</c>).</summary>
    public const string GuestConnected = "wg.connected";

    /// <summary>A guest left the network (<c>EVT_WG_Disconnected</c>).</summary>
    public const string GuestDisconnected = "wg.disconnected";

    /// <summary>A guest moved from one access point to another (<c>EVT_WG_Roam</c>).</summary>
    public const string GuestRoam = "wg.roam";

    /// <summary>A guest changed radio band or channel on the same access point (<c>EVT_WG_RoamRadio</c>).</summary>
    public const string GuestRoamRadio = "wg.roam_radio";

    /// <summary>One wireless client's state record from a <c>sta:sync</c> frame.</summary>
    public const string StaSync = "sta:sync";
}
