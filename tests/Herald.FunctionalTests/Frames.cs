using System.Text.Json;
using Herald.Testing;

namespace Herald.FunctionalTests;

/// <summary>Reading Herald's frames in tests.</summary>
internal static class Frames
{
    public static string Type(this JsonElement frame) => frame.GetProperty("type").GetString()!;

    public static long EventId(this JsonElement eventFrame) => eventFrame.GetProperty("data").GetProperty("id").GetInt64();

    public static string EventTopic(this JsonElement eventFrame) => eventFrame.GetProperty("data").GetProperty("topic").GetString()!;

    /// <summary>The next <c>event</c> frame, skipping pings and other frames.</summary>
    public static Task<JsonElement> ReceiveEventAsync(this JsonSocket socket, TimeSpan? timeout = null) => socket.ReceiveAsync("event", timeout);

    /// <summary>Every event frame up to and including the one with id <paramref name="lastId"/>, failing on a frame past it.</summary>
    public static async Task<List<JsonElement>> ReceiveEventsThroughAsync(this JsonSocket socket, long lastId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeouts.Default);
        var events = new List<JsonElement>();
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var frame = await socket.ReceiveEventAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
            events.Add(frame);
            var id = frame.EventId();
            if (id >= lastId)
            {
                Assert.Equal(lastId, id);
                return events;
            }
        }
    }
}
