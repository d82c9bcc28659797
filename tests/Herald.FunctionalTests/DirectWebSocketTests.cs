using System.Net;
using System.Net.WebSockets;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Herald.Server;
using Herald.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Herald.Internal.Transports.Direct;

namespace Herald.FunctionalTests;

/// <summary>The server takes WebSocket handshakes below Kestrel's HTTP layer (Herald:DirectWebSockets).</summary>
public sealed class DirectWebSocketTests
{
    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 1)]
    public async Task HandshakesSkipTheHttpPipelineUnlessTurnedOff(bool direct, int requestsSeenByHttpPipeline)
    {
        var seen = new RequestCounter();
        await using var app = await LoopbackApp.StartAsync(
            a => HeraldServer.Build(a, b => b.Services.AddSingleton<IStartupFilter>(seen)),
            "--Logging:LogLevel:Default=Warning",
            $"--Herald:DirectWebSockets={direct}");

        var (socket, welcome) = await app.ConnectAsync("topics=a");
        await using (socket)
        {
            await app.PublishAsync("a");
            Assert.Equal("a", (await socket.ReceiveEventAsync()).EventTopic());
        }

        Assert.Equal("welcome", welcome.GetProperty("type").GetString());
        Assert.Equal(requestsSeenByHttpPipeline, seen.WebSocketRequests);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task SocketTransportIsOnUnlessTurnedOffAndServesEventsAndAGracefulClose(bool? setting, bool socketTransport)
    {
        await using var app = await TestServer.StartAsync(setting is null ? [] : [$"--Herald:SocketTransport={setting}"]);
        var (socket, _) = await app.ConnectAsync("topics=a");
        await using (socket)
        {
            await app.PublishAsync("a");
            Assert.Equal("a", (await socket.ReceiveEventAsync()).EventTopic());

            await app.StopAsync();

            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await socket.WaitForCloseAsync());
        }

        var transport = app.Services.GetServices<IConnectionListenerFactory>().Last();
        Assert.Equal(socketTransport, transport is DirectSocketTransportFactory);
    }

    [Theory]
    [InlineData("--Herald:SocketTransport=true")]
    [InlineData("--Herald:DirectWebSockets=true")]
    [InlineData("--Herald:DirectWebSockets=false")]
    public async Task BurstsSentTogetherArriveWholeAndInOrder(string setting)
    {
        await using var app = await TestServer.StartAsync(setting);
        var (socket, _) = await app.ConnectAsync("topics=a");
        await using (socket)
        {
            // Bursts large enough that the writer holds frames back and passes the hold limit within one run.
            var ids = new List<long>();
            for (var burst = 0; burst < 4; burst++)
            {
                ids.AddRange(await app.PublishAsync(Enumerable.Range(0, 250).Select(i => new { topic = "a", type = "test", data = new { i, pad = new string('x', 200) } }).ToArray()));
            }

            var received = await socket.ReceiveEventsThroughAsync(ids[^1]);

            Assert.Equal(ids, received.Select(e => e.EventId()));
        }
    }

    [Fact]
    public async Task HandshakeArrivingByteByByteWithAFrameRightBehindItIsAnswered()
    {
        await using var app = await TestServer.StartAsync();
        using var cts = new CancellationTokenSource(Timeouts.Default);
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(app.BaseAddress.Host, app.BaseAddress.Port, cts.Token);
        var stream = client.GetStream();
        var head = Encoding.ASCII.GetBytes(
            $"GET /ws/events HTTP/1.1\r\nHost: {app.BaseAddress.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))}\r\n\r\n");

        for (var i = 0; i < head.Length - 1; i++)
        {
            await stream.WriteAsync(head.AsMemory(i, 1), cts.Token);
            await stream.FlushAsync(cts.Token);
        }

        // The last byte of the head and a client frame in one write.
        await stream.WriteAsync((byte[])[head[^1], .. MaskedText("""{"type":"ping","ref":"r-1"}""")], cts.Token);

        var reader = new FrameReader(stream);
        Assert.StartsWith("HTTP/1.1 101 ", await reader.ReadHeadAsync(cts.Token), StringComparison.Ordinal);
        JsonElement frame;
        do
        {
            frame = JsonDocument.Parse(await reader.ReadTextFrameAsync(cts.Token)).RootElement;
        }
        while (frame.GetProperty("type").GetString() != "pong");

        Assert.Equal("r-1", frame.GetProperty("ref").GetString());
    }

    [Fact]
    public async Task PlainGetOnTheWebSocketPathStillGetsTheHttpAnswer()
    {
        await using var app = await TestServer.StartAsync();

        using var response = await app.Http.GetAsync(new Uri("ws/events", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("WebSocket upgrade expected", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static byte[] MaskedText(string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        Assert.True(payload.Length < 126);
        var mask = RandomNumberGenerator.GetBytes(4);
        return [0x81, (byte)(0x80 | payload.Length), .. mask, .. payload.Select((b, i) => (byte)(b ^ mask[i % 4]))];
    }

    private sealed class RequestCounter : IStartupFilter
    {
        private int _count;

        public int WebSocketRequests => Volatile.Read(ref _count);

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Path == "/ws/events")
                {
                    Interlocked.Increment(ref _count);
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }

    /// <summary>Reads an HTTP head, then unmasked server frames, from a raw stream.</summary>
    private sealed class FrameReader(NetworkStream stream)
    {
        private readonly List<byte> _buffered = [];

        public async Task<string> ReadHeadAsync(CancellationToken cancellationToken)
        {
            int end;
            while ((end = IndexOfHeadEnd()) < 0)
            {
                await FillAsync(cancellationToken);
            }

            var head = Encoding.ASCII.GetString([.. _buffered.Take(end)]);
            _buffered.RemoveRange(0, end + 4);
            return head;
        }

        public async Task<string> ReadTextFrameAsync(CancellationToken cancellationToken)
        {
            await EnsureAsync(2, cancellationToken);
            Assert.Equal(0x81, _buffered[0]);
            var length = _buffered[1] & 0x7f;
            var headerLength = 2;
            if (length == 126)
            {
                await EnsureAsync(4, cancellationToken);
                length = (_buffered[2] << 8) | _buffered[3];
                headerLength = 4;
            }

            await EnsureAsync(headerLength + length, cancellationToken);
            var text = Encoding.UTF8.GetString([.. _buffered.Skip(headerLength).Take(length)]);
            _buffered.RemoveRange(0, headerLength + length);
            return text;
        }

        private int IndexOfHeadEnd()
        {
            for (var i = 0; i + 3 < _buffered.Count; i++)
            {
                if (_buffered[i] == '\r' && _buffered[i + 1] == '\n' && _buffered[i + 2] == '\r' && _buffered[i + 3] == '\n')
                {
                    return i;
                }
            }

            return -1;
        }

        private async Task EnsureAsync(int count, CancellationToken cancellationToken)
        {
            while (_buffered.Count < count)
            {
                await FillAsync(cancellationToken);
            }
        }

        private async Task FillAsync(CancellationToken cancellationToken)
        {
            var buffer = new byte[4096];
            var read = await stream.ReadAsync(buffer, cancellationToken);
            Assert.True(read > 0, "The server closed the connection.");
            _buffered.AddRange(buffer.AsSpan(0, read));
        }
    }
}
