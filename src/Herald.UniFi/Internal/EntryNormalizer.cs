using System.Text.Json;

namespace Herald.UniFi.Internal;

/// <summary>Turns one controller entry into a <see cref="UniFiEvent"/>.</summary>
internal static class EntryNormalizer
{
    public static UniFiEvent? FromEvent(JsonElement entry, string type, bool isGuest, string site, DateTimeOffset receivedAt)
    {
        // Guest events name the client in "guest"; user events in "user".
        var clientMac = JsonFields.GetMac(entry, "user") ?? JsonFields.GetMac(entry, "guest");
        return clientMac is null ? null : Build(entry, type, clientMac, isGuest, site, EventTime.Resolve(entry, false, receivedAt));
    }

    public static UniFiEvent? FromClientRecord(JsonElement entry, string site, DateTimeOffset receivedAt)
    {
        var clientMac = JsonFields.GetMac(entry, "mac");
        if (clientMac is null)
        {
            return null;
        }

        var isGuest = JsonFields.GetBoolean(entry, "is_guest") ?? false;
        return Build(entry, UniFiEventTypes.StaSync, clientMac, isGuest, site, EventTime.Resolve(entry, true, receivedAt));
    }

    private static UniFiEvent Build(JsonElement entry, string type, string clientMac, bool isGuest, string site, DateTimeOffset time)
    {
        var apTo = JsonFields.GetMac(entry, "ap_to");
        var radioTo = JsonFields.GetString(entry, "radio_to");
        var channelTo = JsonFields.GetInt32(entry, "channel_to");
        return new UniFiEvent
        {
            Type = type,
            Time = time,
            Site = JsonFields.GetString(entry, "site_id") ?? site,
            ClientMac = clientMac,
            ApMac = JsonFields.GetMac(entry, "ap") ?? JsonFields.GetMac(entry, "ap_mac") ?? apTo,
            ApName = JsonFields.GetString(entry, "ap_name"),
            ApFrom = JsonFields.GetMac(entry, "ap_from"),
            ApTo = apTo,
            Ssid = JsonFields.GetString(entry, "ssid") ?? JsonFields.GetString(entry, "essid"),
            Hostname = JsonFields.GetString(entry, "hostname") ?? JsonFields.GetString(entry, "name"),
            Radio = JsonFields.GetString(entry, "radio") ?? radioTo,
            RadioFrom = JsonFields.GetString(entry, "radio_from"),
            RadioTo = radioTo,
            Channel = JsonFields.GetInt32(entry, "channel") ?? channelTo,
            ChannelFrom = JsonFields.GetInt32(entry, "channel_from"),
            ChannelTo = channelTo,
            Message = JsonFields.GetString(entry, "msg"),
            IsGuest = isGuest,
            Raw = entry.Clone(),
        };
    }
}
