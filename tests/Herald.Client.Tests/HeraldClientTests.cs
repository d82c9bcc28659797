using System.Net.Http.Json;
using System.Text.Json;
using Herald.Testing;

namespace Herald.Client.Tests;

public sealed class HeraldClientTests
{
    [Fact]
    public async Task ReceivesEventsPublishedOverHttpInOrderWithTheirIds()
    {
        await using var server = await TestServers.StartAsync();
        await using var client = new HeraldClient(TestServers.Options(server, "cameras/+"));
        await client.ConnectAsync(TestServers.Bounded());

        var first = await client.PublishAsync("cameras/front", "motion", Json.Of("""{"x":1}"""), source: "test", cancellationToken: TestServers.Bounded());
        var more = await client.PublishAsync(
            [new OutgoingEvent("other/topic", "ignored", Json.Of("1")), new OutgoingEvent("cameras/back", "motion", Json.Of("""{"x":2}"""))],
            TestServers.Bounded());

        var received = await client.ReadEventsAsync(TestServers.Bounded()).Take(2).ToListAsync();
        Assert.Equal([first, more[1]], received.Select(e => e.Id));
        Assert.Equal("cameras/front", received[0].Topic);
        Assert.Equal("motion", received[0].Type);
        Assert.Equal("test", received[0].Source);
        Assert.Equal(1, received[0].Data.GetProperty("x").GetInt32());
        Assert.Contains("\"topic\":\"cameras/front\"", received[0].Json, StringComparison.Ordinal);
        Assert.Equal(more[1], client.LastEventId);
    }

    [Fact]
    public async Task OnEventHandlersSeeEachEventOnce()
    {
        await using var server = await TestServers.StartAsync();
        await using var client = new HeraldClient(TestServers.Options(server));
        var seen = new TaskCompletionSource<ClientEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.OnEvent += (_, e) => seen.TrySetResult(e);
        await client.ConnectAsync(TestServers.Bounded());

        var id = await client.PublishAsync("a", "t", Json.Of("null"), cancellationToken: TestServers.Bounded());

        Assert.Equal(id, (await seen.Task.WithTimeout()).Id);
    }

    [Fact]
    public async Task SubscribeAddsTopicsAndUnsubscribeRemovesThem()
    {
        await using var server = await TestServers.StartAsync();
        await using var client = new HeraldClient(TestServers.Options(server, "a"));
        await client.ConnectAsync(TestServers.Bounded());

        await client.SubscribeAsync(["b/+"], TestServers.Bounded());
        var b1 = await client.PublishAsync("b/1", "t", Json.Of("1"), cancellationToken: TestServers.Bounded());
        await client.UnsubscribeAsync(["a"], TestServers.Bounded());
        await client.PublishAsync("a", "t", Json.Of("2"), cancellationToken: TestServers.Bounded());
        var b2 = await client.PublishAsync("b/2", "t", Json.Of("3"), cancellationToken: TestServers.Bounded());

        var received = await client.ReadEventsAsync(TestServers.Bounded()).Take(2).ToListAsync();
        Assert.Equal([b1, b2], received.Select(e => e.Id));
        Assert.Equal(["b/+"], client.Topics);
    }

    [Fact]
    public async Task SubscribingToAnInvalidPatternThrowsTheServersError()
    {
        await using var server = await TestServers.StartAsync();
        await using var client = new HeraldClient(TestServers.Options(server, "a"));
        await client.ConnectAsync(TestServers.Bounded());

        var error = await Assert.ThrowsAsync<HeraldClientException>(() => client.SubscribeAsync(["a/#/b"], TestServers.Bounded()));
        Assert.Equal("bad_request", error.Code);
    }

    [Fact]
    public async Task DirectMessagesArriveAndSentMessagesAreAcknowledged()
    {
        await using var server = await TestServers.StartAsync();
        await using var client = new HeraldClient(TestServers.Options(server));
        await client.ConnectAsync(TestServers.Bounded());

        await client.SendMessageAsync(Json.Of("""{"hello":"server"}"""), TestServers.Bounded());
        using var response = await server.Http.PostAsJsonAsync($"api/sessions/{client.SessionId}/messages", new { hello = "client" }, TestServers.Bounded());
        response.EnsureSuccessStatusCode();

        var message = await client.ReadMessagesAsync(TestServers.Bounded()).FirstAsync();
        Assert.Equal("client", message.GetProperty("hello").GetString());
    }

    [Fact]
    public async Task PublishRefusedByTheServerThrowsWithTheProblemDetail()
    {
        await using var server = await TestServers.StartAsync();
        await using var client = new HeraldClient(TestServers.Options(server));

        var error = await Assert.ThrowsAsync<HeraldClientException>(() => client.PublishAsync("bad/#", "t", Json.Of("1"), cancellationToken: TestServers.Bounded()));

        Assert.Equal(400, error.StatusCode);
        Assert.False(string.IsNullOrEmpty(error.Message));
        Assert.NotNull(error.Title);
    }

    [Fact]
    public async Task StartsFromSinceAndReportsAnIncompleteResumeWhenRetentionDroppedEvents()
    {
        var store = new InMemoryEventStore(capacity: 3);
        await using var server = await TestServers.StartAsync(store, new InMemorySessionStore());
        var ids = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await server.Http.PostAsJsonAsync("api/events", new { topic = "t", type = "x", data = i }, TestServers.Bounded());
            response.EnsureSuccessStatusCode();
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>(TestServers.Bounded())).GetProperty("ids")[0].GetInt64());
        }

        var options = TestServers.Options(server);
        options.Since = ids[0];
        await using var client = new HeraldClient(options);
        var incomplete = new TaskCompletionSource<ResumeIncompleteEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ResumeIncomplete += (_, e) => incomplete.TrySetResult(e);
        await client.ConnectAsync(TestServers.Bounded());

        var gap = await incomplete.Task.WithTimeout();
        Assert.Equal(ids[0], gap.Since);
        var received = await client.ReadEventsAsync(TestServers.Bounded()).Take(3).ToListAsync();
        Assert.Equal(ids.Skip(3), received.Select(e => e.Id));
    }

    [Fact]
    public async Task StateGoesConnectingConnectedClosed()
    {
        await using var server = await TestServers.StartAsync();
        var client = new HeraldClient(TestServers.Options(server));
        var states = new List<HeraldConnectionState>();
        client.StateChanged += (_, s) =>
        {
            lock (states)
            {
                states.Add(s);
            }
        };

        Assert.Equal(HeraldConnectionState.Closed, client.State);
        await client.ConnectAsync(TestServers.Bounded());
        Assert.Equal(HeraldConnectionState.Connected, client.State);
        await client.DisposeAsync();

        Assert.Equal(HeraldConnectionState.Closed, client.State);
        lock (states)
        {
            Assert.Equal([HeraldConnectionState.Connecting, HeraldConnectionState.Connected, HeraldConnectionState.Closed], states);
        }

        Assert.Equal("the client was stopped", client.CloseReason);
    }

    [Fact]
    public async Task GivesUpAfterMaxReconnectAttemptsAndConnectThrows()
    {
        var options = new HeraldClientOptions
        {
            ServerUri = new Uri("http://127.0.0.1:1"),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(10),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(20),
            MaxReconnectAttempts = 2,
        };
        await using var client = new HeraldClient(options);
        var states = new List<HeraldConnectionState>();
        client.StateChanged += (_, s) => states.Add(s);

        await Assert.ThrowsAsync<HeraldClientException>(() => client.ConnectAsync(TestServers.Bounded()));
        Assert.Equal(HeraldConnectionState.Closed, client.State);
        Assert.NotNull(client.LastError);
        Assert.Equal([HeraldConnectionState.Connecting, HeraldConnectionState.Reconnecting, HeraldConnectionState.Connecting, HeraldConnectionState.Reconnecting, HeraldConnectionState.Connecting, HeraldConnectionState.Closed], states);
        Assert.Equal("gave up after 2 failed reconnect attempts", client.CloseReason);
    }
}
