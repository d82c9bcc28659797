namespace Herald.UniFi.Internal;

/// <summary>The <c>events</c> keys that are WiFi client events, and what they normalize to.</summary>
internal static class WifiEventKeys
{
    private static readonly Dictionary<string, string> Types = new(StringComparer.Ordinal)
    {
        ["EVT_WU_Connected"] = UniFiEventTypes.Connected,
        ["EVT_WU_Disconnected"] = UniFiEventTypes.Disconnected,
        ["EVT_WU_Roam"] = UniFiEventTypes.Roam,
        ["EVT_WU_RoamRadio"] = UniFiEventTypes.RoamRadio,
        ["EVT_WG_Connected"] = UniFiEventTypes.GuestConnected,
        ["EVT_WG_Disconnected"] = UniFiEventTypes.GuestDisconnected,
        ["EVT_WG_Roam"] = UniFiEventTypes.GuestRoam,
        ["EVT_WG_RoamRadio"] = UniFiEventTypes.GuestRoamRadio,
    };

    public static bool TryGetType(string key, out string type, out bool isGuest)
    {
        isGuest = key.StartsWith("EVT_WG_", StringComparison.Ordinal);
        return Types.TryGetValue(key, out type!);
    }
}
