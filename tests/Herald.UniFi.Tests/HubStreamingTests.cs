using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server;
using Herald.Testing;
using Herald.UniFi.Tests.FakeController;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.UniFi.Tests;

public sealed class HubStreamingTests
{
    [Theory]
    [InlineData(UniFiControllerKind.UniFiOs)]
    [InlineData(UniFiControllerKind.Classic)]
    public async Task SourceKeepsStreamingEventsIntoARealHubThroughDropsExpirySilenceAndBadFrames(UniFiControllerKind kind)
    {
        await using var app = await LoopbackApp.StartAsync(args => HeraldServer.Build(args));
        await using var fake = await FakeUniFiController.StartAsync(new FakeControllerSettings { Kind = kind });
        var options = fake.Options(o => o.Site = "default");
        var topic = UniFiTopics.ForSite(options.Site);
        var hub = app.Services.GetRequiredService<IHeraldHub>();
        await using var run = SourceRun.Start(options, async (events, ct) =>
            await hub.PublishAsync([.. events.Select(e => new NewEvent(topic, e.Type, e.ToHeraldPayload()))], ct));
        var n = 0;

        // 1: two frames, then an abrupt drop.
        var socket = await fake.NextConnectionAsync();
        await socket.SendAsync(TestFrames.Connected(++n));
        await socket.SendAsync(TestFrames.Connected(++n));
        await WaitForStoredAsync(app, topic, n);
        socket.Drop();

        // 2: one frame, then the session expires and the socket drops: the handshake is refused, the source logs in again.
        socket = await fake.NextConnectionAsync();
        await socket.SendAsync(TestFrames.Connected(++n));
        await WaitForStoredAsync(app, topic, n);
        fake.ExpireSessions();
        fake.Settings.SilentConnections = 1;
        socket.Drop();

        // 3: a socket that goes silent; keep-alive gives up on it.
        var silent = await fake.NextConnectionAsync();
        Assert.True(silent.IsSilent);

        // 4: invalid, unknown and oversized frames between good ones.
        socket = await fake.NextConnectionAsync();
        await socket.SendAsync(TestFrames.Connected(++n));
        await socket.SendAsync(TestFrames.InvalidJson);
        await socket.SendAsync(Fixtures.Local("device-sync.json"));
        await socket.SendAsync(TestFrames.ConnectedOfSize(999, UniFiParserOptions.DefaultMaxFrameBytes + 10), 256 * 1024);
        await socket.SendAsync(Fixtures.Controller("events-wu-disconnected.json"));
        await socket.SendAsync(TestFrames.Connected(++n));

        var stored = await WaitForStoredAsync(app, topic, n + 1);
        Assert.Equal(
            [TestFrames.Mac(1), TestFrames.Mac(2), TestFrames.Mac(3), TestFrames.Mac(4), "00:00:00:00:00:01", TestFrames.Mac(5)],
            stored.Select(e => e.GetProperty("data").GetProperty("clientMac").GetString()));
        Assert.All(stored, e => Assert.Equal(topic, e.GetProperty("topic").GetString()));
        Assert.Equal(
            [.. Enumerable.Repeat(UniFiEventTypes.Connected, 4), UniFiEventTypes.Disconnected, UniFiEventTypes.Connected],
            stored.Select(e => e.GetProperty("type").GetString()));
        var first = stored[0].GetProperty("data");
        Assert.Equal("wu.connected", first.GetProperty("type").GetString());
        Assert.Equal("default", first.GetProperty("site").GetString());
        Assert.Equal("client-1", first.GetProperty("hostname").GetString());
        Assert.Equal(36, first.GetProperty("channel").GetInt32());

        Assert.Equal(2, fake.LoginAttempts);
        Assert.Contains(401, fake.HandshakeStatuses);
        var statistics = run.Source.Statistics;
        Assert.Equal(4, statistics.Connections);
        Assert.Equal(1, statistics.Parser.OversizedFrames);
        Assert.Equal(1, statistics.Parser.InvalidFrames);
        Assert.Equal(0, statistics.SinkFailures);
        Assert.Equal(UniFiSourceState.Connected, run.Source.State);
    }

    internal static async Task<IReadOnlyList<JsonElement>> WaitForStoredAsync(LoopbackApp app, string topic, int count)
    {
        IReadOnlyList<JsonElement> events = [];
        var deadline = DateTime.UtcNow + Timeouts.Default;
        while (true)
        {
            var page = await app.Http.GetFromJsonAsync<JsonElement>($"api/events?topic={Uri.EscapeDataString(topic)}&limit=1000").WithTimeout();
            events = [.. page.GetProperty("events").EnumerateArray()];
            if (events.Count >= count)
            {
                Assert.Equal(count, events.Count);
                return events;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The hub holds {events.Count} events on {topic}, not {count}.");
            }

            await Task.Delay(20);
        }
    }
}
