using Herald.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.FunctionalTests.Durability;

public sealed class LaggingNodeTests
{
    [Fact]
    public async Task AClientThatConnectsWhileItsNodeIsBehindTheLogGetsOnlyEventsStoredAfterItConnected()
    {
        var store = new LaggingEventStore();
        await using var app = await LoopbackApp.StartAsync(a => Herald.Server.HeraldServer.Build(a, b => b.Services.AddSingleton<IEventStore>(store)));
        var hub = app.Services.GetRequiredService<IHeraldHub>();
        var (early, _) = await JsonSocket.ConnectWelcomedAsync(app.WebSocketUri("ws/events?topics=lag/%23"));
        await using (early)
        {
            store.Hold();
            var backlog = await hub.PublishAsync([.. Enumerable.Range(1, 3).Select(n => NewEvent.Create("lag/a", "t", new { n }))]);
            var (late, _) = await JsonSocket.ConnectWelcomedAsync(app.WebSocketUri("ws/events?topics=lag/%23"));
            await using (late)
            {
                store.Release();
                var next = await hub.PublishAsync(NewEvent.Create("lag/a", "t", new { n = 4 }));

                // The client that was there gets everything; the one that came while the node was behind starts at
                // the log's head, not with what its node still had to send.
                foreach (var id in backlog.Select(e => e.Id).Append(next.Id))
                {
                    Assert.Equal(id, (await early.ReceiveAsync("event")).GetProperty("data").GetProperty("id").GetInt64());
                }

                Assert.Equal(next.Id, (await late.ReceiveAsync("event")).GetProperty("data").GetProperty("id").GetInt64());
            }
        }
    }
}
