using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Client.Tests;

public sealed class ReconnectTests
{
    [Fact]
    public async Task AClientAheadOfAResetServerIsToldAndStillReceivesTheEventsStoredNext()
    {
        await using var server = await TestServers.StartAsync();
        var stored = await server.Services.GetRequiredService<IHeraldHub>().PublishAsync(NewEvent.Create("reset/a", "t", 1));
        var options = TestServers.Options(server, "reset/#");
        options.Since = 500;
        await using var client = new HeraldClient(options);
        var incomplete = new TaskCompletionSource<ResumeIncompleteEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ResumeIncomplete += (_, e) => incomplete.TrySetResult(e);
        await client.ConnectAsync(TestServers.Bounded());

        var told = await incomplete.Task.WithTimeout();
        var next = await client.PublishAsync("reset/b", "t", Json.Of("2"), cancellationToken: TestServers.Bounded());

        Assert.Equal(500, told.Since);
        Assert.Equal(stored.Id, told.LastId);
        var received = await client.ReadEventsAsync(TestServers.Bounded()).FirstAsync();
        Assert.Equal(next, received.Id);
        Assert.Equal(next, client.LastEventId);
    }

    [Fact]
    public async Task ServerStoppedAndStartedAgainLosesAndDoublesNoEvent()
    {
        var store = new InMemoryEventStore();
        var sessions = new InMemorySessionStore();
        var server = await TestServers.StartAsync(store, sessions);
        var port = server.BaseAddress.Port;
        var published = new List<long>();
        var options = TestServers.Options(server, "t/#");
        await using var client = new HeraldClient(options);
        var reconnecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.StateChanged += (_, s) =>
        {
            if (s == HeraldConnectionState.Reconnecting)
            {
                reconnecting.TrySetResult();
            }
        };
        try
        {
            await client.ConnectAsync(TestServers.Bounded());
            var session = client.SessionId;
            published.AddRange(await PublishAsync(server, 5));

            await server.DisposeAsync();
            await reconnecting.Task.WithTimeout();
            // Stored while no server runs: the restarted one must replay them on resume.
            var whileDown = await store.AppendAsync([.. Enumerable.Range(0, 5).Select(i => new NewEvent("t/down", "x", Json.Of($"{i}")))], TestServers.Bounded());
            published.AddRange(whileDown.Select(e => e.Id));

            server = await TestServers.StartAsync(store, sessions, "--urls", $"http://127.0.0.1:{port}");
            published.AddRange(await PublishAsync(server, 5));
            await Timeouts.Until(() => client.State == HeraldConnectionState.Connected, "the client reconnected");
            published.AddRange(await PublishAsync(server, 5));

            var received = await client.ReadEventsAsync(TestServers.Bounded()).Take(published.Count).ToListAsync();
            Assert.Equal(published, received.Select(e => e.Id));
            Assert.Equal(session, client.SessionId);
            await Task.Yield();
            Assert.Empty(client.Drain());
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task ASilentServerIsDroppedAsDeadAndTheClientReconnects()
    {
        var attempts = 0;
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var fake = await LoopbackApp.StartAsync(args =>
        {
            var builder = WebApplication.CreateBuilder(args);
            var app = builder.Build();
            app.UseWebSockets();
            app.Map("/ws/events", async (HttpContext context) =>
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                if (Interlocked.Increment(ref attempts) >= 2)
                {
                    second.TrySetResult();
                }

                // Accept and then say nothing, ever: no welcome, no ping.
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                }
            });
            return app;
        });
        var options = new HeraldClientOptions
        {
            ServerUri = fake.BaseAddress,
            DeadServerTimeout = TimeSpan.FromMilliseconds(300),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(20),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(50),
            Since = 0,
        };
        await using var client = new HeraldClient(options);
        var reconnecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.StateChanged += (_, s) =>
        {
            if (s == HeraldConnectionState.Reconnecting)
            {
                reconnecting.TrySetResult();
            }
        };

        var connecting = client.ConnectAsync(TestServers.Bounded());

        await reconnecting.Task.WithTimeout(TimeSpan.FromSeconds(5));
        await second.Task.WithTimeout(TimeSpan.FromSeconds(5));
        Assert.False(connecting.IsCompleted);
        Assert.IsType<TimeoutException>(client.LastError);
    }

    [Fact]
    public async Task AConnectionClosedByTheServerIsReopenedAndResumedOnItsOwn()
    {
        await using var server = await TestServers.StartAsync();
        var options = TestServers.Options(server);
        await using var client = new HeraldClient(options);
        await client.ConnectAsync(TestServers.Bounded());
        var firstConnection = client.ConnectionId;

        // Close the client's connection on the server side (4003): the client must come back on its own.
        using var response = await server.Http.DeleteAsync($"api/connections/{firstConnection}", TestServers.Bounded());
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        await Timeouts.Until(() => client.State == HeraldConnectionState.Connected && client.ConnectionId is { } id && id != firstConnection, "the client reconnected");
        var id = await client.PublishAsync("t", "x", Json.Of("1"), cancellationToken: TestServers.Bounded());
        Assert.Equal(id, (await client.ReadEventsAsync(TestServers.Bounded()).FirstAsync()).Id);
    }

    [Fact]
    public async Task WhenItsServerGoesAwayTheClientResumesExactlyOnTheNextServerOfTheHub()
    {
        var store = new InMemoryEventStore();
        var sessions = new InMemorySessionStore();
        var first = await TestServers.StartAsync(store, sessions, "--Herald:NodeId=first");
        await using var second = await TestServers.StartAsync(store, sessions, "--Herald:NodeId=second");
        var options = TestServers.Options(first, "t/#");
        options.ServerUris.Add(second.BaseAddress);
        await using var client = new HeraldClient(options);
        var published = new List<long>();
        try
        {
            await client.ConnectAsync(TestServers.Bounded());
            published.AddRange(await PublishAsync(first, 3));

            await first.DisposeAsync();
            published.AddRange(await PublishAsync(second, 3));
            var received = await client.ReadEventsAsync(TestServers.Bounded()).Take(published.Count).ToListAsync();

            Assert.Equal(published, received.Select(e => e.Id));
            Assert.Equal(1, second.Services.GetRequiredService<IHeraldHub>().ConnectionCount);
        }
        finally
        {
            await first.DisposeAsync();
        }
    }

    private static async Task<IReadOnlyList<long>> PublishAsync(LoopbackApp server, int count)
    {
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            using var response = await server.Http.PostAsJsonAsync("api/events", new { topic = "t/up", type = "x", data = i }, TestServers.Bounded());
            response.EnsureSuccessStatusCode();
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>(TestServers.Bounded())).GetProperty("ids")[0].GetInt64());
        }

        return ids;
    }
}
