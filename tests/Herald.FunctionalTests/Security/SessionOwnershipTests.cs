using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using Herald.Testing;

namespace Herald.FunctionalTests.Security;

/// <summary>With authentication on, a session belongs to the user who created it: its resume token alone does not open it.</summary>
public sealed class SessionOwnershipTests
{
    [Fact]
    public async Task AnotherUserWithTheSessionsTokenCannotJoinIt()
    {
        await using var app = await AuthServer.StartAsync();
        var (alice, welcome) = await app.ConnectAsync("session=alice:shared&access_token=" + AuthServer.Token("alice"));
        await alice.DisposeAsync();
        await Timeouts.Until(() => app.Hub().ConnectionCount == 0, "alice's connection is gone");

        var bob = await JsonSocket.ConnectAsync(app.WebSocketUri($"ws/events?session=alice:shared&resume={welcome.GetProperty("resumeToken").GetString()}&access_token={AuthServer.Token("bob")}"));
        await using (bob)
        {
            Assert.Equal("invalid_resume_token", (await bob.ReceiveAsync("error")).GetProperty("code").GetString());
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, await bob.WaitForCloseAsync());
        }

        var (again, _) = await app.ConnectAsync($"session=alice:shared&resume={welcome.GetProperty("resumeToken").GetString()}&access_token={AuthServer.Token("alice")}");
        await again.DisposeAsync();
    }

    [Fact]
    public async Task NobodyCanClaimASessionInAnotherUsersName()
    {
        await using var app = await AuthServer.StartAsync();

        var bob = await JsonSocket.ConnectAsync(app.WebSocketUri($"ws/events?session=alice&access_token={AuthServer.Token("bob")}"));
        await using (bob)
        {
            Assert.Equal("invalid_resume_token", (await bob.ReceiveAsync("error")).GetProperty("code").GetString());
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, await bob.WaitForCloseAsync());
        }

        // Nothing was created for bob: a message to alice's session finds none, and alice then gets hers.
        using var message = await app.Http.SendAsync(AuthServer.Request(HttpMethod.Post, "api/sessions/alice/messages", AuthServer.MessengerKey, JsonContent.Create(new { n = 1 })));
        Assert.Equal(HttpStatusCode.NotFound, message.StatusCode);
        var (alice, welcome) = await app.ConnectAsync("session=alice&access_token=" + AuthServer.Token("alice"));
        await alice.DisposeAsync();
        var (tab, tabWelcome) = await app.ConnectAsync("session=alice:tab-2&access_token=" + AuthServer.Token("alice"));
        await tab.DisposeAsync();
        Assert.Equal("alice", welcome.GetProperty("sessionId").GetString());
        Assert.Equal("alice:tab-2", tabWelcome.GetProperty("sessionId").GetString());
    }

    [Fact]
    public async Task AnEndedSessionIsClosedItsMessagesGoneAndItsTokenUseless()
    {
        await using var app = await AuthServer.StartAsync();
        var (socket, welcome) = await app.ConnectAsync("session=alice:doomed&access_token=" + AuthServer.Token("alice"));
        await using (socket)
        {
            using var ended = await app.Http.SendAsync(AuthServer.Request(HttpMethod.Delete, "api/sessions/alice:doomed", AuthServer.AdminKey));

            Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
            Assert.Equal((WebSocketCloseStatus)4003, await socket.WaitForCloseAsync());
        }

        using var message = await app.Http.SendAsync(AuthServer.Request(HttpMethod.Post, "api/sessions/alice:doomed/messages", AuthServer.MessengerKey, JsonContent.Create(new { n = 1 })));
        Assert.Equal(HttpStatusCode.NotFound, message.StatusCode);

        // The old token opens nothing: the same id is a new session now, with a new token.
        var (fresh, again) = await app.ConnectAsync($"session=alice:doomed&resume={welcome.GetProperty("resumeToken").GetString()}&access_token={AuthServer.Token("alice")}");
        await fresh.DisposeAsync();
        Assert.NotEqual(welcome.GetProperty("resumeToken").GetString(), again.GetProperty("resumeToken").GetString());
    }
}
