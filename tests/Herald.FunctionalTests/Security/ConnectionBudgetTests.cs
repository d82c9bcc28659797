using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Herald.Internal.Transports;
using Herald.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.FunctionalTests.Security;

/// <summary>
/// One address cannot take every connection slot: streams leave the HTTP budget once accepted, each address has a cap
/// for streams (429 before the upgrade) and for plain HTTP connections (closed unread), and REST and health stay open
/// to everyone else.
/// </summary>
public sealed class ConnectionBudgetTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.2");

    [Fact]
    public async Task IdleSseStreamsCannotUseUpTheHttpConnectionsRestAndHealthNeed()
    {
        await using var app = await TestServer.StartAsync("--Herald:MaxHttpConnections=4");
        var streams = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < 6; i++)
            {
                var response = await app.Http.GetAsync("api/stream?topics=idle", HttpCompletionOption.ResponseHeadersRead);
                streams.Add(response);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.True(response.Headers.ConnectionClose);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
                await SseReader.ReadRecordsAsync(reader, r => r.Comment == "connected");
            }

            using var health = new HttpClient { BaseAddress = app.BaseAddress, Timeout = Timeouts.Default };
            Assert.Equal(HttpStatusCode.OK, (await health.GetAsync("api/health")).StatusCode);
            await Timeouts.Until(() => app.Hub().ConnectionCount == 6, "the hub holds every stream");
        }
        finally
        {
            streams.ForEach(s => s.Dispose());
        }
    }

    [Theory]
    [MemberData(nameof(AuthenticationTests.ListenerPaths), MemberType = typeof(AuthenticationTests))]
    public async Task StreamsPastTheAddressCapAreRefusedWith429BeforeTheUpgradeWhileOtherAddressesConnect(string path)
    {
        await using var app = await TestServer.StartAsync(path, "--Herald:MaxConnectionsPerAddress=2");
        var (first, _) = await app.ConnectAsync("topics=a");
        var (second, _) = await app.ConnectAsync("topics=a");
        await using (first)
        await using (second)
        {
            var socket = await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events?topics=a");
            using var stream = await app.Http.GetAsync("api/stream?topics=a", HttpCompletionOption.ResponseHeadersRead);
            var elsewhere = await RawUpgrade.SendFromAsync(Attacker, app.BaseAddress, "/ws/events?topics=a");

            Assert.Equal(429, socket.StatusCode);
            Assert.Equal(429, JsonDocument.Parse(socket.Body).RootElement.GetProperty("status").GetInt32());
            Assert.Contains("Herald:MaxConnectionsPerAddress", socket.Body, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.TooManyRequests, stream.StatusCode);
            Assert.Equal("application/problem+json", stream.Content.Headers.ContentType?.MediaType);
            Assert.Equal(101, elsewhere.StatusCode);
        }
    }

    [Theory]
    [MemberData(nameof(AuthenticationTests.ListenerPaths), MemberType = typeof(AuthenticationTests))]
    public async Task WebSocketsAndStreamsStopCountingAsHttpConnectionsOnceAccepted(string path)
    {
        await using var app = await TestServer.StartAsync(path, "--Herald:MaxHttpConnectionsPerAddress=2");
        var sockets = new List<JsonSocket>();
        var streams = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                sockets.Add((await app.ConnectAsync("topics=a")).Socket);
                streams.Add(await app.Http.GetAsync("api/stream?topics=a", HttpCompletionOption.ResponseHeadersRead));
            }

            Assert.All(streams, s => Assert.Equal(HttpStatusCode.OK, s.StatusCode));
            Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("api/health")).StatusCode);
        }
        finally
        {
            streams.ForEach(s => s.Dispose());
            foreach (var socket in sockets)
            {
                await socket.DisposeAsync();
            }
        }
    }

    [Theory]
    [MemberData(nameof(AuthenticationTests.ListenerPaths), MemberType = typeof(AuthenticationTests))]
    public async Task SilentConnectionsPastTheAddressCapAreClosedAtOnceWhileOtherAddressesAreServed(string path)
    {
        await using var app = await TestServer.StartAsync(path, "--Herald:MaxHttpConnectionsPerAddress=3");
        var silent = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                silent.Add(await RawHttp.ConnectAsync(app.BaseAddress, Attacker));
            }

            // The server counts a connection once it has accepted it; wait until it holds all three.
            var limit = app.Services.GetRequiredService<HttpConnectionLimit>();
            await Timeouts.Until(() => limit[Attacker] == 3, "the server holds the three silent connections");
            using var refused = await RawHttp.ConnectAsync(app.BaseAddress, Attacker);
            var closed = RawHttp.WaitForCloseAsync(refused);

            Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("api/health")).StatusCode);
            Assert.Equal(string.Empty, await closed);

            silent[0].Dispose();
            await Timeouts.Until(() => limit[Attacker] == 2, "a closed connection no longer counts");
            var again = await RawHttp.SendFromAsync(Attacker, app.BaseAddress, "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1");
            Assert.Equal(200, again.StatusCode);
        }
        finally
        {
            silent.ForEach(c => c.Dispose());
        }
    }
}
