using Herald.Server;
using Herald.Testing;

namespace Herald.FunctionalTests;

/// <summary>Resume against a JetStream log says what the stream's retention removed, as it does on SQLite.</summary>
public sealed class JetStreamResumeTests(NatsFixture nats) : IClassFixture<NatsFixture>
{
    [Fact]
    public async Task AResumeFromBeforeWhatRetentionKeptIsIncompleteAndSaysWhereTheLogStarts()
    {
        await using var app = await LoopbackApp.StartAsync(args => HeraldServer.Build(args), [.. nats.NewBackendArgs(), "--Herald:Nats:MaxEvents=3"]);
        var ids = new List<long>();
        for (var n = 0; n < 6; n++)
        {
            ids.Add(await app.PublishAsync("r/x", data: new { n }));
        }

        var (socket, _) = await app.ConnectAsync($"topics=r/%23&since={ids[0]}");
        await using (socket)
        {
            var replayed = await socket.ReceiveEventsThroughAsync(ids[^1]);
            var resumed = await socket.ReceiveAsync("resumed");

            Assert.False(resumed.GetProperty("complete").GetBoolean());
            Assert.Equal(ids[^1], resumed.GetProperty("lastId").GetInt64());
            Assert.Equal(ids[^1], replayed[^1].EventId());
        }
    }
}
