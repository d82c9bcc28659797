using System.Net.WebSockets;
using Herald.Testing;
using Herald.UniFi.Internal;
using Herald.UniFi.Tests.FakeController;
using Microsoft.Extensions.Logging.Abstractions;

namespace Herald.UniFi.Tests;

public sealed class ConnectionTests
{
    [Theory]
    [InlineData(UniFiControllerKind.UniFiOs)]
    [InlineData(UniFiControllerKind.Classic)]
    public async Task DetectsTheControllerKindLogsInAndStreamsEvents(UniFiControllerKind kind)
    {
        await using var fake = await FakeUniFiController.StartAsync(new FakeControllerSettings { Kind = kind });
        await using var run = SourceRun.Start(fake.Options());

        var connection = await fake.NextConnectionAsync();
        await connection.SendAsync(TestFrames.Connected(1));

        var e = await run.NextEventAsync();
        Assert.Equal(UniFiEventTypes.Connected, e.Type);
        Assert.Equal(TestFrames.Mac(1), e.ClientMac);
        Assert.Equal(kind, run.Source.Kind);
        Assert.Equal(1, fake.RootRequests);
        Assert.Equal(1, fake.LoginAttempts);
        Assert.Equal(UniFiSourceState.Connected, run.Source.State);
        Assert.Equal(
            [UniFiSourceState.Connecting, UniFiSourceState.LoggingIn, UniFiSourceState.Connected],
            run.History.Select(h => h.State));
    }

    [Theory]
    [InlineData(UniFiControllerKind.UniFiOs)]
    [InlineData(UniFiControllerKind.Classic)]
    public async Task AConfiguredKindSkipsDetection(UniFiControllerKind kind)
    {
        await using var fake = await FakeUniFiController.StartAsync(new FakeControllerSettings { Kind = kind });
        await using var run = SourceRun.Start(fake.Options(o => o.Kind = kind));

        var connection = await fake.NextConnectionAsync();
        await connection.SendAsync(TestFrames.Connected(1));

        await run.NextEventAsync();
        Assert.Equal(0, fake.RootRequests);
        Assert.Equal(kind, run.Source.Kind);
    }

    [Fact]
    public async Task UndetectableKindIsRetriedWithAdviceToConfigureIt()
    {
        await using var fake = await FakeUniFiController.StartAsync(new FakeControllerSettings { RootStatus = 502 });
        await using var run = SourceRun.Start(fake.Options());

        var waiting = await run.WaitForStateAsync(UniFiSourceState.Reconnecting);

        Assert.Contains("502", waiting.Reason, StringComparison.Ordinal);
        Assert.Contains("set the kind explicitly", waiting.Reason, StringComparison.Ordinal);
        Assert.Equal(0, fake.LoginAttempts);
        Assert.Null(run.Source.Kind);
    }

    [Theory]
    [InlineData(UniFiControllerKind.UniFiOs, "TOKEN")]
    [InlineData(UniFiControllerKind.Classic, "unifises")]
    public async Task WebSocketHandshakeCarriesTheSessionCookieAndCsrfTokenAndNoOrigin(UniFiControllerKind kind, string cookie)
    {
        await using var fake = await FakeUniFiController.StartAsync(new FakeControllerSettings { Kind = kind });
        await using var run = SourceRun.Start(fake.Options());

        var connection = await fake.NextConnectionAsync();

        Assert.Contains(cookie + "=", connection.Headers["Cookie"], StringComparison.Ordinal);
        Assert.Equal(Assert.Single(fake.CurrentCsrfTokens), connection.Headers["X-Csrf-Token"]);
        Assert.False(connection.Headers.ContainsKey("Origin"));
        Assert.Equal([101], fake.HandshakeStatuses);
    }

    [Fact]
    public async Task TheFakeControllerRefusesAHandshakeWithAnOriginHeader()
    {
        await using var fake = await FakeUniFiController.StartAsync();
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", fake.BaseAddress.ToString());
        socket.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new Uri($"wss://{fake.BaseAddress.Authority}/proxy/network/wss/s/default/events");

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None).WithTimeout());

        Assert.Equal(403, (int)socket.HttpStatusCode);
    }

    [Theory]
    [InlineData(UniFiControllerKind.UniFiOs)]
    [InlineData(UniFiControllerKind.Classic)]
    public async Task UpdatedCsrfTokenReplacesTheOldOneForRequestsAndTheWebsocket(UniFiControllerKind kind)
    {
        await using var fake = await FakeUniFiController.StartAsync(new FakeControllerSettings { Kind = kind, RotateCsrf = true });
        var options = fake.Options();
        using var session = new UniFiHttpSession(options, new UniFiTls(options), NullLogger.Instance);

        for (var i = 0; i < 3; i++)
        {
            using var response = await session.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, session.ApiUri("api/self")), CancellationToken.None).WithTimeout();
            Assert.Equal(200, (int)response.StatusCode);
            Assert.Equal(Assert.Single(fake.CurrentCsrfTokens), session.CsrfToken);
        }

        using var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        session.ApplyTo(socket.Options);
        await socket.ConnectAsync(session.EventsUri, CancellationToken.None).WithTimeout();
        Assert.Equal(1, fake.LoginAttempts);
        Assert.Equal(3, fake.ApiRequests);
        socket.Abort();
    }

    [Fact]
    public async Task RequestRefusedWith401LogsInOnceAndIsRepeated()
    {
        await using var fake = await FakeUniFiController.StartAsync();
        var options = fake.Options();
        using var session = new UniFiHttpSession(options, new UniFiTls(options), NullLogger.Instance);
        using (var first = await session.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, session.ApiUri("api/self")), CancellationToken.None).WithTimeout())
        {
            Assert.Equal(200, (int)first.StatusCode);
        }

        fake.ExpireSessions();
        using var second = await session.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, session.ApiUri("api/self")), CancellationToken.None).WithTimeout();

        Assert.Equal(200, (int)second.StatusCode);
        Assert.Equal(2, fake.LoginAttempts);
        Assert.Equal(3, fake.ApiRequests);
    }

    [Fact]
    public async Task PasswordCookiesAndCsrfTokensNeverAppearInTheLog()
    {
        await using var fake = await FakeUniFiController.StartAsync();
        await using var run = SourceRun.Start(fake.Options());
        var connection = await fake.NextConnectionAsync();
        fake.ExpireSessions();
        connection.Drop();
        await fake.NextConnectionAsync();

        var secrets = fake.CurrentCsrfTokens.Append(fake.Settings.Password).Append(connection.Headers["X-Csrf-Token"]).ToList();
        var cookieValue = connection.Headers["Cookie"].Split('=', 2)[1];
        secrets.Add(cookieValue);
        lock (run.Logger.Entries)
        {
            Assert.NotEmpty(run.Logger.Entries);
            foreach (var (_, _, message) in run.Logger.Entries)
            {
                foreach (var secret in secrets)
                {
                    Assert.DoesNotContain(secret, message, StringComparison.Ordinal);
                }
            }
        }
    }
}
