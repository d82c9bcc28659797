using System.Globalization;
using System.Text.Json;

namespace Herald.UniFi.Internal;

/// <summary>Picks an entry's time from the fields controllers use, most precise first.</summary>
internal static class EventTime
{
    private static readonly long MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    public static DateTimeOffset Resolve(JsonElement entry, bool isClientRecord, DateTimeOffset receivedAt)
    {
        if (JsonFields.GetInt64(entry, "time") is long ms && FromMilliseconds(ms) is { } fromTime)
        {
            return fromTime;
        }

        if (JsonFields.GetString(entry, "datetime") is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed;
        }

        if (isClientRecord)
        {
            // last_seen first: a state record describes the client as of its last sighting, and using the
            // (often hours old) association time would make fresh records fall outside a "since" window.
            foreach (var name in (ReadOnlySpan<string>)["last_seen", "assoc_time"])
            {
                if (JsonFields.GetInt64(entry, name) is long seconds && seconds is > 0 and < long.MaxValue / 1000
                    && FromMilliseconds(seconds * 1000) is { } fromSeconds)
                {
                    return fromSeconds;
                }
            }
        }

        return receivedAt.ToUniversalTime();
    }

    private static DateTimeOffset? FromMilliseconds(long ms)
        => ms > 0 && ms <= MaxUnixMilliseconds ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}
