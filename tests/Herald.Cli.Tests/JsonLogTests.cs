using System.Net.WebSockets;
using System.Text.Json;
using Herald.Testing;

namespace Herald.Cli.Tests;

/// <summary><c>herald serve --log-format json</c>: one JSON object per line, connection lines scoped, no secrets.</summary>
public sealed class JsonLogTests
{
    [Fact]
    public async Task JsonLinesParseCarryConnectionScopesAndTheCloseLineNeverShowingTokens()
    {
        // Through the ASP.NET Core pipeline with request logging on: the request lines hold the whole URL.
        await using var server = await ChildServer.StartAsync(
            "--log-format", "json", "--Herald:Store=memory", "--Herald:DirectWebSockets=false", "--Logging:LogLevel:Microsoft.AspNetCore=Information");
        var ws = new Uri($"ws://{server.BaseAddress.Authority}/ws/events");

        var (first, welcome) = await JsonSocket.ConnectWelcomedAsync(new Uri(ws, "?topics=a&access_token=hunter2-secret"));
        var sessionId = welcome.GetProperty("sessionId").GetString()!;
        var token = welcome.GetProperty("resumeToken").GetString()!;
        await using (first)
        {
            await first.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).WithTimeout();
            await first.WaitForCloseAsync();
        }

        var (second, resumed) = await JsonSocket.ConnectWelcomedAsync(new Uri(ws, $"?topics=a&session={Uri.EscapeDataString(sessionId)}&resume={Uri.EscapeDataString(token)}"));
        var connectionId = resumed.GetProperty("connectionId").GetString()!;
        await using (second)
        {
            await second.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).WithTimeout();
            await second.WaitForCloseAsync();
        }

        await Timeouts.Until(() => Lines(server).Count(l => l.GetProperty("EventId").GetInt32() == 1003) == 2, "both closes are logged");

        // Every line is one JSON object.
        var lines = Lines(server);
        Assert.Equal(server.Output.Count(l => l.Length > 0), lines.Count);

        var close = lines.Single(l => l.GetProperty("EventId").GetInt32() == 1003 && l.GetProperty("State").GetProperty("ConnectionId").GetString() == connectionId);
        var state = close.GetProperty("State");
        Assert.Equal("normal", state.GetProperty("Reason").GetString());
        Assert.Equal(1000, state.GetProperty("CloseCode").GetInt32());
        Assert.InRange(state.GetProperty("DurationSeconds").GetDouble(), 0, 60);
        var scope = close.GetProperty("Scopes").EnumerateArray().Single(s => s.TryGetProperty("SessionId", out _));
        Assert.Equal(connectionId, scope.GetProperty("ConnectionId").GetString());
        Assert.Equal(sessionId, scope.GetProperty("SessionId").GetString());
        Assert.False(string.IsNullOrEmpty(scope.GetProperty("RequestId").GetString()));
        Assert.Equal("websocket", scope.GetProperty("Transport").GetString());

        // The opening line carries the same scope.
        var opened = lines.Single(l => l.GetProperty("EventId").GetInt32() == 1002 && l.GetProperty("State").GetProperty("ConnectionId").GetString() == connectionId);
        Assert.Contains(opened.GetProperty("Scopes").EnumerateArray(), s => s.TryGetProperty("SessionId", out var sid) && sid.GetString() == sessionId);

        // The request lines were logged, with the secrets masked.
        var all = string.Join('\n', server.Output);
        Assert.Contains("resume=***", all, StringComparison.Ordinal);
        Assert.Contains("access_token=***", all, StringComparison.Ordinal);
        Assert.DoesNotContain(token, all, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(token), all, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", all, StringComparison.Ordinal);
    }

    private static List<JsonElement> Lines(ChildServer server)
        => [.. server.Output.Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
}
