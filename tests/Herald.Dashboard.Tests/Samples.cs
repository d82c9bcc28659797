using System.Text.Json;
using Herald.UniFi;

namespace Herald.Dashboard.Tests;

/// <summary>Events as Herald's producers publish them, for the feed and the screenshots.</summary>
internal static class Samples
{
    /// <summary>
    /// The WiFi events of <c>Fixtures/unifi-wifi.json</c>, normalized by Herald's UniFi parser, as HTTP publish bodies
    /// on <c>unifi/default/wifi</c> (what the UniFi source publishes).
    /// </summary>
    public static object[] UniFiWifi()
    {
        var frame = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "unifi-wifi.json"));
        var parsed = new UniFiFrameParser().Parse(frame, DateTimeOffset.UtcNow);
        Assert.True(parsed.IsValid, parsed.ErrorDescription);
        Assert.Equal(5, parsed.Events.Count);
        return [.. parsed.Events.Select(e => (object)new
        {
            topic = UniFiTopics.ForSite(e.Site),
            type = e.Type,
            source = "unifi",
            data = JsonSerializer.Deserialize<JsonElement>(e.ToHeraldPayload()),
        })];
    }

    /// <summary>A mix of other producers' events.</summary>
    public static object[] Household(int round) =>
    [
        new { topic = "cameras/front", type = "motion", source = "nvr", data = new { score = Math.Round(0.6 + (round % 4 * 0.1), 2), zone = "driveway" } },
        new { topic = "sensors/living-room", type = "reading", source = "zigbee", data = new { temperature = 21.5 + (round % 3 * 0.2), humidity = 44 } },
        new { topic = "jobs/backup", type = round % 5 == 4 ? "done" : "progress", source = "cron", data = new { message = round % 5 == 4 ? "Nightly backup finished: 14.2 GB in 6 min" : $"Backing up photos: {(round % 5 + 1) * 20}%" } },
        new { topic = "cameras/garden", type = "person", source = "nvr", data = new { score = 0.88, track = 17 + round } },
    ];
}
