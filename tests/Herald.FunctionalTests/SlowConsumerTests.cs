using System.Net.WebSockets;
using Herald.Testing;

namespace Herald.FunctionalTests;

public sealed class SlowConsumerTests
{
    [Fact]
    public async Task SlowConsumerIsClosedWith4000WhileAFastClientReceivesEveryEvent()
    {
        // Deterministic design:
        // - The stalled client never reads, so once the loopback TCP buffers (tens of MB at most) are full
        //   its writer blocks and its 8-frame queue overflows: that is the slow-consumer close.
        // - Events are published one at a time, each only after the fast client received the previous
        //   one, so the fast client's queue never holds more than a frame or two and cannot overflow.
        // - SendTimeout and CloseTimeout are far longer than the test, so the blocked writer is not
        //   aborted; the close frame goes out once the stalled client starts reading, after the server
        //   counted the close, and the client sees exactly 4000 "slow consumer".
        await using var app = await TestServer.StartAsync(
            "--Herald:SendQueueCapacity=8",
            "--Herald:SendTimeout=00:05:00",
            "--Herald:CloseTimeout=00:05:00");
        var hub = app.Hub();
        var stalled = await JsonSocket.ConnectAsync(app.WebSocketUri("ws/events?topics=flood"), read: false);
        var (fast, _) = await app.ConnectAsync("topics=flood");
        await using (fast)
        {
            var payload = new string('x', 64 * 1024);
            var ids = new List<long>();
            const int MaxEvents = 2000;
            while (hub.GetMetrics().SlowConsumerCloses == 0)
            {
                Assert.True(ids.Count < MaxEvents, $"No slow-consumer close after {MaxEvents} events of 64 KiB.");
                var e = await hub.PublishAsync(new NewEvent("flood", "big", System.Text.Json.JsonSerializer.SerializeToElement(payload))).AsTask().WithTimeout();
                ids.Add(e.Id);
                Assert.Equal(e.Id, (await fast.ReceiveEventAsync()).EventId());
            }

            // A few more after the close: the fast client still gets them.
            for (var i = 0; i < 5; i++)
            {
                var e = await hub.PublishAsync(new NewEvent("flood", "big", System.Text.Json.JsonSerializer.SerializeToElement(payload))).AsTask().WithTimeout();
                ids.Add(e.Id);
                Assert.Equal(e.Id, (await fast.ReceiveEventAsync()).EventId());
            }

            var reading = stalled.StartReading();
            await using (reading)
            {
                Assert.Equal((WebSocketCloseStatus)4000, await reading.WaitForCloseAsync(Timeouts.Long));
                Assert.Equal("slow consumer", reading.CloseReason);
            }

            await Timeouts.Until(() => hub.ConnectionCount == 1, "the slow consumer is removed");
            Assert.False(fast.Closed.IsCompleted);
            var metrics = await app.MetricsAsync();
            Assert.Equal(1, metrics.GetProperty("slowConsumerCloses").GetInt64());
            Assert.True(metrics.GetProperty("framesDropped").GetInt64() >= 1);
            Assert.Empty(ids.Where((id, i) => i > 0 && id != ids[i - 1] + 1));
        }
    }
}
