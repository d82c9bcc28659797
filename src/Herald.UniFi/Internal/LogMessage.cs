using System.Text;

namespace Herald.UniFi.Internal;

/// <summary>Writes the sentences documented on <see cref="UniFiLogConverter.ToLogEntry"/>.</summary>
internal static class LogMessage
{
    private const string UnknownAp = "an unknown access point";

    public static string For(UniFiEvent e)
    {
        var text = new StringBuilder(128);
        text.Append(e.IsGuest ? "Guest " : "Client ").Append(e.ClientMac);
        AppendName(text, e.Hostname);
        switch (e.Type)
        {
            case UniFiEventTypes.Connected or UniFiEventTypes.GuestConnected:
                AppendAp(text.Append(" connected to "), e);
                break;
            case UniFiEventTypes.Disconnected or UniFiEventTypes.GuestDisconnected:
                AppendAp(text.Append(" disconnected from "), e);
                break;
            case UniFiEventTypes.Roam or UniFiEventTypes.GuestRoam:
                text.Append(" roamed from ").Append(e.ApFrom ?? UnknownAp).Append(" to ").Append(e.ApTo ?? e.ApMac ?? UnknownAp);
                break;
            case UniFiEventTypes.RoamRadio or UniFiEventTypes.GuestRoamRadio:
                AppendAp(text.Append(" switched radio on "), e);
                if (e.RadioFrom is not null && e.RadioTo is not null)
                {
                    text.Append(" from ").Append(e.RadioFrom).Append(" to ").Append(e.RadioTo);
                }

                break;
            case UniFiEventTypes.StaSync:
                text.Append(" state sync");
                break;
            default:
                text.Append(' ').Append(e.Type);
                break;
        }

        if (e.Ssid is not null)
        {
            text.Append(" on SSID \"").Append(e.Ssid).Append('"');
        }

        return text.ToString();
    }

    private static void AppendAp(StringBuilder text, UniFiEvent e)
    {
        text.Append(e.ApMac ?? UnknownAp);
        AppendName(text, e.ApMac is null ? null : e.ApName);
    }

    private static void AppendName(StringBuilder text, string? name)
    {
        if (name is not null)
        {
            text.Append(" (").Append(name).Append(')');
        }
    }
}
