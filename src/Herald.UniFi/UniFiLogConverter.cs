using Herald.UniFi.Internal;

namespace Herald.UniFi;

/// <summary>Turns <see cref="UniFiEvent"/>s into <see cref="UniFiLogEntry"/>s.</summary>
public static class UniFiLogConverter
{
    /// <summary>
    /// How much older than the requested "since" an event may be and still be kept (5 minutes): the
    /// controller's clock and the host's drift apart, and an event stamped slightly early by the controller
    /// must not vanish from a "since now" view.
    /// </summary>
    public static readonly TimeSpan ClockSkewTolerance = TimeSpan.FromMinutes(5);

    /// <summary>Builds the log entry for one event.</summary>
    /// <remarks>
    /// <para>Messages, where <c>{client}</c> is <c>Client {mac}</c> (<c>Guest {mac}</c> for guests) followed by
    /// <c> ({hostname})</c> when known, <c>{ap}</c> is the AP MAC followed by <c> ({ap_name})</c> when known
    /// (<c>an unknown access point</c> without a MAC), and every message ends in <c> on SSID "{ssid}"</c>
    /// when the SSID is known:</para>
    /// <list type="bullet">
    /// <item><c>{client} connected to {ap}</c></item>
    /// <item><c>{client} disconnected from {ap}</c></item>
    /// <item><c>{client} roamed from {ap_from} to {ap_to}</c> (MACs only: <c>ap_name</c> does not say which AP it names)</item>
    /// <item><c>{client} switched radio on {ap}</c>, plus <c> from {radio_from} to {radio_to}</c> when both are known</item>
    /// <item><c>{client} state sync</c> for <c>sta:sync</c></item>
    /// </list>
    /// <para>For example <c>Client 00:00:00:00:00:01 (client) connected to 80:2a:a8:00:01:02 on SSID "SSID"</c>.
    /// Level is <c>INFO</c> for WiFi events and <c>DEBUG</c> for <c>sta:sync</c>.</para>
    /// </remarks>
    /// <param name="e">The event.</param>
    public static UniFiLogEntry ToLogEntry(UniFiEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new UniFiLogEntry
        {
            Timestamp = e.Time,
            Level = e.Type == UniFiEventTypes.StaSync ? UniFiLogEntry.DebugLevel : UniFiLogEntry.InfoLevel,
            Message = LogMessage.For(e),
            ClientMac = e.ClientMac,
            Data = e.Raw,
        };
    }

    /// <summary>
    /// The log entries of the events at or after <paramref name="since"/> less <see cref="ClockSkewTolerance"/>,
    /// oldest first (events with equal times keep their input order).
    /// </summary>
    /// <param name="events">The events, in any order.</param>
    /// <param name="since">The earliest time wanted, or <see langword="null"/> for all.</param>
    public static IReadOnlyList<UniFiLogEntry> Collect(IEnumerable<UniFiEvent> events, DateTimeOffset? since)
    {
        ArgumentNullException.ThrowIfNull(events);
        var cutoff = since is { } s ? s - ClockSkewTolerance : DateTimeOffset.MinValue;
        return events
            .Where(e => e.Time >= cutoff)
            .OrderBy(e => e.Time)
            .Select(ToLogEntry)
            .ToList();
    }
}
