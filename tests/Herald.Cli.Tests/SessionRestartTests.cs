using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Herald.Testing;

namespace Herald.Cli.Tests;

/// <summary>
/// A session's owner survives a restart: after SIGTERM or kill -9, a stranger who asks for an absent session's id
/// without its resume token is refused, and the owner gets its queued messages.
/// </summary>
public sealed class SessionRestartTests
{
    [Theory]
    [InlineData("SIGTERM")]
    [InlineData("kill -9")]
    public async Task AfterARestartAStrangerCannotTakeAnAbsentSessionsQueuedMessages(string stop)
    {
        using var directory = new TempDirectory();
        var database = $"--Herald:Sqlite:Path={directory.DatabasePath}";
        string token;
        await using (var first = await ChildServer.StartAsync(database))
        {
            using var http = new HttpClient { BaseAddress = first.BaseAddress, Timeout = Timeouts.Default };
            var (owner, welcome) = await JsonSocket.ConnectWelcomedAsync(new Uri($"ws://{first.BaseAddress.Authority}/ws/events?session=victim"));
            token = welcome.GetProperty("resumeToken").GetString()!;
            await owner.DisposeAsync();
            await Timeouts.Until(() => http.GetFromJsonAsync<JsonElement>("api/connections").GetAwaiter().GetResult().GetArrayLength() == 0, "the owner's connection is gone");
            for (var n = 1; n <= 2; n++)
            {
                using var queued = await http.PostAsJsonAsync("api/sessions/victim/messages", new { secret = n });
                Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
            }

            if (stop == "SIGTERM")
            {
                await first.TerminateAsync();
                Assert.Equal(0, await first.WaitForExitAsync(Timeouts.Long));
            }
            else
            {
                await first.KillAsync();
            }
        }

        await using var second = await ChildServer.StartAsync(database);
        var stranger = await JsonSocket.ConnectAsync(new Uri($"ws://{second.BaseAddress.Authority}/ws/events?session=victim"));
        await using (stranger)
        {
            Assert.Equal("invalid_resume_token", (await stranger.ReceiveAsync("error")).GetProperty("code").GetString());
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, await stranger.WaitForCloseAsync());
        }

        var (resumed, _) = await JsonSocket.ConnectWelcomedAsync(new Uri($"ws://{second.BaseAddress.Authority}/ws/events?session=victim&resume={token}"));
        await using (resumed)
        {
            Assert.Equal(1, (await resumed.ReceiveAsync("message")).GetProperty("data").GetProperty("secret").GetInt32());
            Assert.Equal(2, (await resumed.ReceiveAsync("message")).GetProperty("data").GetProperty("secret").GetInt32());
        }
    }
}
