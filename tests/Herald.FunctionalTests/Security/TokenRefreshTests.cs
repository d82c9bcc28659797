using System.Net.WebSockets;

namespace Herald.FunctionalTests.Security;

/// <summary>A token that runs out while connected: the server asks for a fresh one in time and closes with 4004 without it.</summary>
public sealed class TokenRefreshTests
{
    [Fact]
    public async Task TheServerAsksForAFreshTokenAndTakesItWithoutReconnecting()
    {
        await using var app = await AuthServer.StartAsync("--Herald:Auth:RefreshLead=00:00:30");
        var (socket, _) = await app.ConnectAsync("topics=cams/%23&access_token=" + AuthServer.Token("alice", subscribe: ["cams/#"], lifetime: TimeSpan.FromSeconds(20)));
        await using (socket)
        {
            // The token expires within the refresh lead, so the next timer tick asks for a new one.
            var refresh = await socket.ReceiveAsync("refresh");
            await socket.SendAsync(new { type = "auth", token = AuthServer.Token("alice", subscribe: ["cams/#"], lifetime: TimeSpan.FromHours(1)), @ref = "r1" });
            var authenticated = await socket.ReceiveAsync("authenticated");

            Assert.True(refresh.GetProperty("expiresAt").GetDateTimeOffset() < DateTimeOffset.UtcNow.AddSeconds(25));
            Assert.Equal("r1", authenticated.GetProperty("ref").GetString());
            Assert.True(authenticated.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(30));
            var id = await app.PublishAsync(new { topic = "cams/front", type = "still-live" }, AuthServer.AdminKey);
            Assert.Equal(id, (await socket.ReceiveEventAsync()).EventId());
        }
    }

    [Fact]
    public async Task AConnectionWhoseTokenExpiresIsClosedWith4004()
    {
        await using var app = await AuthServer.StartAsync();
        var (socket, _) = await app.ConnectAsync("access_token=" + AuthServer.Token("alice", lifetime: TimeSpan.FromSeconds(2)));
        await using (socket)
        {
            Assert.Equal((WebSocketCloseStatus)4004, await socket.WaitForCloseAsync());
            Assert.Equal("token expired", socket.CloseReason);
        }
    }

    [Fact]
    public async Task ATokenForAnotherUserOrABadTokenIsRefusedInBandAndTheConnectionKeepsItsOwn()
    {
        await using var app = await AuthServer.StartAsync();
        var (socket, _) = await app.ConnectAsync("access_token=" + AuthServer.Token("alice"));
        await using (socket)
        {
            await socket.SendAsync(new { type = "auth", token = AuthServer.Token("bob"), @ref = 1 });
            var otherUser = await socket.ReceiveAsync("error");
            await socket.SendAsync(new { type = "auth", token = "garbage", @ref = 2 });
            var garbage = await socket.ReceiveAsync("error");
            await socket.SendAsync(new { type = "ping" });

            Assert.Equal("unauthorized", otherUser.GetProperty("code").GetString());
            Assert.Equal("unauthorized", garbage.GetProperty("code").GetString());
            await socket.ReceiveAsync("pong");
        }
    }

    [Fact]
    public async Task AFreshTokenWithNarrowerGrantsDropsTheSubscriptionsItNoLongerCovers()
    {
        await using var app = await AuthServer.StartAsync();
        var (socket, _) = await app.ConnectAsync("topics=cams/%23,house/%23&access_token=" + AuthServer.Token("alice"));
        await using (socket)
        {
            await socket.SendAsync(new { type = "auth", token = AuthServer.Token("alice", subscribe: ["cams/#"]) });
            var dropped = await socket.ReceiveAsync("unsubscribed");
            await socket.ReceiveAsync("authenticated");
            await app.PublishAsync(new { topic = "house/door", type = "hidden" }, AuthServer.AdminKey);
            var shown = await app.PublishAsync(new { topic = "cams/front", type = "shown" }, AuthServer.AdminKey);

            Assert.Equal(["house/#"], dropped.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
            Assert.Equal(shown, (await socket.ReceiveEventAsync()).EventId());
        }
    }
}
