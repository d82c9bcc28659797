using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Herald.Internal.Http;
using Herald.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Herald.Internal.Transports;
using Herald.Internal.Transports.Direct;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Herald.FunctionalTests;

/// <summary>
/// The listener that takes complete WebSocket handshakes at accept time and gives Kestrel everything else.
/// Each test binds one next to a running server, so what reaches "Kestrel" is what the listener returns.
/// </summary>
public sealed class DirectSocketListenerTests
{
    [Fact]
    public async Task CompleteHandshakeRunsOnTheSocketWithoutReachingKestrel()
    {
        await using var app = await TestServer.StartAsync();
        await using var listener = Bind(app);
        var forKestrel = listener.AcceptAsync().AsTask();

        var (socket, welcome) = await JsonSocket.ConnectWelcomedAsync(WebSocketUri(listener, "topics=a"));
        await using (socket)
        {
            await app.PublishAsync("a");
            Assert.Equal("a", (await socket.ReceiveEventAsync()).EventTopic());
        }

        Assert.Equal("welcome", welcome.GetProperty("type").GetString());
        Assert.False(forKestrel.IsCompleted);
    }

    [Theory]
    [InlineData("GET /api/events HTTP/1.1\r\nHost: h\r\n\r\n")]
    [InlineData("GET /ws/events?topics=a HTTP/1.1\r\nHost: h\r\n\r\n")]
    [InlineData("GET /ws/eve")]
    [InlineData("\u0016\u0003\u0001\u0002\u0000\u0001")]
    public async Task AnythingButACompleteHandshakeReachesKestrelWithNothingRead(string sent)
    {
        await using var app = await TestServer.StartAsync();
        await using var listener = Bind(app);
        using var client = new TcpClient();
        await client.ConnectAsync((IPEndPoint)listener.EndPoint).WaitAsync(Timeouts.Default);
        var bytes = Encoding.Latin1.GetBytes(sent);
        await client.GetStream().WriteAsync(bytes).AsTask().WaitAsync(Timeouts.Default);

        var connection = await listener.AcceptAsync().AsTask().WithTimeout();
        Assert.NotNull(connection);
        await using (connection)
        {
            var input = connection.Transport.Input;
            ReadOnlySequence<byte> buffer;
            while (true)
            {
                var result = await input.ReadAsync().AsTask().WithTimeout();
                buffer = result.Buffer;
                if (buffer.Length >= bytes.Length || result.IsCompleted)
                {
                    break;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
            }

            Assert.Equal(bytes, buffer.ToArray());
            input.AdvanceTo(buffer.End);
        }
    }

    [Fact]
    public async Task FullHubRefusesAtTheSocketWithServiceUnavailable()
    {
        await using var app = await TestServer.StartAsync("--Herald:MaxConnections=1");
        await using var listener = Bind(app);
        var (held, _) = await JsonSocket.ConnectWelcomedAsync(WebSocketUri(listener, "topics=a"));
        await using (held)
        {
            var refused = await RawUpgrade.SendAsync(BaseAddress(listener), "/ws/events?topics=a");

            Assert.Equal(503, refused.StatusCode);
            Assert.Contains("\"status\":503", refused.Body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UnbindingEndsKestrelsAcceptLoopAndClosesThePort()
    {
        await using var app = await TestServer.StartAsync();
        await using var listener = Bind(app);
        var endpoint = (IPEndPoint)listener.EndPoint;

        await listener.UnbindAsync().AsTask().WithTimeout();

        Assert.Null(await listener.AcceptAsync().AsTask().WithTimeout());
        using var client = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(endpoint).WaitAsync(Timeouts.Default));
    }

    private static DirectSocketListener Bind(LoopbackApp app) => DirectSocketListener.Bind(
        new IPEndPoint(IPAddress.Loopback, 0),
        app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value,
        app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits,
        app.Services.GetRequiredService<WebSocketEndpoint>(),
        app.Services.GetRequiredService<HttpConnectionLimit>(),
        app.Services.GetRequiredService<ILoggerFactory>(),
        "/ws/events");

    private static Uri BaseAddress(DirectSocketListener listener) => new($"http://{listener.EndPoint}/");

    private static Uri WebSocketUri(DirectSocketListener listener, string query) => new($"ws://{listener.EndPoint}/ws/events?{query}");
}
