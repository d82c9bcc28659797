using System.Diagnostics;
using System.Text;
using Herald.Testing;

namespace Herald.FunctionalTests.Security;

/// <summary>
/// A slowloris client, a silent one, and heads too large or with too many headers are treated alike on every path a
/// handshake can take: Herald's socket paths keep Kestrel's limits and timeouts, so none holds memory or a slot for long.
/// </summary>
public sealed class SlowClientTests
{
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(1);

    [Theory]
    [MemberData(nameof(AuthenticationTests.ListenerPaths), MemberType = typeof(AuthenticationTests))]
    public async Task AHandshakeSentAByteAtATimeGets408OnceRequestHeadersTimeoutPasses(string path)
    {
        await using var app = await TestServer.StartAsync(path, $"--Herald:RequestHeadersTimeout={Quick}");
        using var client = await RawHttp.ConnectAsync(app.BaseAddress);
        var stream = client.GetStream();
        var clock = Stopwatch.StartNew();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /ws/events?topics=a HTTP/1.1\r\nHost: {app.BaseAddress.Authority}\r\n"));
        var answer = RawHttp.WaitForCloseAsync(client);

        // One more byte of a header every 200 ms: the head never ends.
        foreach (var b in Encoding.ASCII.GetBytes("Upgrade: websocket\r\nX-Slow: " + new string('x', 100)))
        {
            if (answer.IsCompleted)
            {
                break;
            }

            try
            {
                await stream.WriteAsync(new[] { b });
            }
            catch (IOException)
            {
                break;
            }

            await Task.WhenAny(answer, Task.Delay(200));
        }

        Assert.StartsWith("HTTP/1.1 408", await answer, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, Quick - TimeSpan.FromMilliseconds(100), Quick + TimeSpan.FromSeconds(5));
    }

    [Theory]
    [MemberData(nameof(AuthenticationTests.ListenerPaths), MemberType = typeof(AuthenticationTests))]
    public async Task ASilentConnectionIsClosedOnceKeepAliveTimeoutPasses(string path)
    {
        await using var app = await TestServer.StartAsync(path, $"--Herald:KeepAliveTimeout={Quick}");
        using var client = await RawHttp.ConnectAsync(app.BaseAddress);
        var clock = Stopwatch.StartNew();

        Assert.Equal(string.Empty, await RawHttp.WaitForCloseAsync(client));
        Assert.InRange(clock.Elapsed, Quick - TimeSpan.FromMilliseconds(100), Quick + TimeSpan.FromSeconds(5));
    }

    [Theory]
    [MemberData(nameof(AuthenticationTests.ListenerPaths), MemberType = typeof(AuthenticationTests))]
    public async Task AMegabyteHeaderIsRefusedWith431AndTheServerCarriesOn(string path)
    {
        await using var app = await TestServer.StartAsync(path);
        using var client = await RawHttp.ConnectAsync(app.BaseAddress);
        var stream = client.GetStream();
        var answer = RawHttp.WaitForCloseAsync(client);
        var head = Encoding.ASCII.GetBytes($"GET /ws/events HTTP/1.1\r\nHost: {app.BaseAddress.Authority}\r\nUpgrade: websocket\r\nX-Big: " + new string('x', 1024 * 1024) + "\r\n\r\n");

        // In pieces, stopping once the server has answered and closed.
        for (var sent = 0; sent < head.Length && !answer.IsCompleted; sent += 16 * 1024)
        {
            try
            {
                await stream.WriteAsync(head.AsMemory(sent, Math.Min(16 * 1024, head.Length - sent)));
            }
            catch (IOException)
            {
                break;
            }
        }

        // The server reads no more than Kestrel's 32 KiB of headers: it answers 431 and closes, and closing on bytes it
        // never read resets the connection, which may reach the client before the 431 does.
        var refusal = await answer;
        Assert.True(refusal.Length == 0 || refusal.StartsWith("HTTP/1.1 431", StringComparison.Ordinal), refusal);
        Assert.Equal(101, (await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(AuthenticationTests.ListenerPaths), MemberType = typeof(AuthenticationTests))]
    public async Task AHandshakeWithMoreHeadersThanKestrelAllowsIsRefusedWith431OnEveryPath(string path)
    {
        await using var app = await TestServer.StartAsync(path);

        var answer = await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events", [.. Enumerable.Range(0, 100).Select(i => ($"X-{i}", "1"))]);

        Assert.Equal(431, answer.StatusCode);
        Assert.Equal(0, app.Hub().GetMetrics().ConnectionsTotal);
    }
}
