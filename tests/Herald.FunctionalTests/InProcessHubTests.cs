using System.Text.Json;
using Herald.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald.FunctionalTests;

public sealed class InProcessHubTests
{
    [Fact]
    public async Task SyncPublishFromAPlainThreadReachesAWebSocketClient()
    {
        await using var app = await TestServer.StartAsync();
        var (socket, _) = await app.ConnectAsync("topics=sync");
        await using (socket)
        {
            var hub = app.Hub();
            var accepted = false;
            var thread = new Thread(() => accepted = hub.Publish(NewEvent.Create("sync", "t", new { from = "thread" })));
            thread.Start();
            Assert.True(thread.Join(Timeouts.Default), "Publish blocked the calling thread.");
            Assert.True(accepted);

            var frame = await socket.ReceiveEventAsync();
            Assert.Equal("thread", frame.GetProperty("data").GetProperty("data").GetProperty("from").GetString());
        }
    }

    [Fact]
    public async Task PublishAsyncReturnsIncreasingIds()
    {
        await using var app = await TestServer.StartAsync();
        var hub = app.Hub();

        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await hub.PublishAsync(NewEvent.Create("inc", "t", i)).AsTask().WithTimeout()).Id);
        }

        var batch = await hub.PublishAsync([NewEvent.Create("inc", "t", 5), NewEvent.Create("inc", "t", 6)]).AsTask().WithTimeout();
        ids.AddRange(batch.Select(e => e.Id));

        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), ids);
        Assert.Equal(6, batch[1].GetData<int>());
    }

    [Fact]
    public async Task HubWorksWithNoClientsAndNoWebServer()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddHerald(o => o.HeartbeatInterval = TimeSpan.FromMilliseconds(200));
        using var host = builder.Build();
        await host.StartAsync().WithTimeout();
        try
        {
            var hub = host.Services.GetRequiredService<IHeraldHub>();

            var stored = await hub.PublishAsync(NewEvent.Create("quiet", "t", 1)).AsTask().WithTimeout();
            Assert.Equal(1, stored.Id);
            Assert.True(hub.Publish(NewEvent.Create("quiet", "t", 2)));
            await Timeouts.Until(() => hub.GetMetrics().EventsPublished == 2, "the fire-and-forget event is stored");
            Assert.Equal(0, hub.ConnectionCount);
            Assert.Empty(hub.GetConnections());
            Assert.Equal(0, hub.BroadcastMessage(JsonSerializer.SerializeToElement("nobody")));
            Assert.Equal(SessionMessageOutcome.NoSession, await hub.SendToSessionAsync("absent", JsonSerializer.SerializeToElement("later")).AsTask().WithTimeout());
            Assert.False(hub.CloseConnection("nope"));
        }
        finally
        {
            await host.StopAsync().WithTimeout();
        }
    }
}
