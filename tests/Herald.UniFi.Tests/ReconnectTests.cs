using Herald.Testing;
using Herald.UniFi.Tests.FakeController;

namespace Herald.UniFi.Tests;

public sealed class ReconnectTests
{
    [Theory]
    [InlineData(UniFiControllerKind.UniFiOs)]
    [InlineData(UniFiControllerKind.Classic)]
    public async Task ExpiredSessionRefusedAtTheHandshakeLogsInAgainAndReconnects(UniFiControllerKind kind)
    {
        await using var fake = await FakeUniFiController.StartAsync(new FakeControllerSettings { Kind = kind });
        await using var run = SourceRun.Start(fake.Options());
        var first = await fake.NextConnectionAsync();

        fake.ExpireSessions();
        first.Drop();
        var second = await fake.NextConnectionAsync();
        await second.SendAsync(TestFrames.Connected(2));

        Assert.Equal(TestFrames.Mac(2), (await run.NextEventAsync()).ClientMac);
        Assert.Equal([101, 401, 101], fake.HandshakeStatuses);
        Assert.Equal(2, fake.LoginAttempts);
        Assert.Equal(2, run.Source.Statistics.Logins);
        Assert.Equal(1, fake.RootRequests);
    }

    [Fact]
    public async Task TokenLifetimeRunningOutBetweenConnectionsForcesANewLogin()
    {
        await using var fake = await FakeUniFiController.StartAsync(new FakeControllerSettings { TokenLifetime = TimeSpan.FromMilliseconds(100) });
        await using var run = SourceRun.Start(fake.Options());
        var first = await fake.NextConnectionAsync();
        await first.SendAsync(TestFrames.Connected(1));
        await run.NextEventAsync();
        await Timeouts.Until(() => fake.CurrentCsrfTokens.Count == 1, "the session exists");
        fake.Settings.TokenLifetime = TimeSpan.FromHours(1);
        await Task.Delay(150); // Lets the first token run out; the fake has no event for that.

        first.Drop();
        var second = await fake.NextConnectionAsync();
        await second.SendAsync(TestFrames.Connected(2));

        Assert.Equal(TestFrames.Mac(2), (await run.NextEventAsync()).ClientMac);
        Assert.Equal(2, fake.LoginAttempts);
        Assert.Contains(401, fake.HandshakeStatuses);
    }

    [Fact]
    public async Task HandshakeRefusedRightAfterAFreshLoginBacksOffInsteadOfLooping()
    {
        await using var fake = await FakeUniFiController.StartAsync();
        var delays = 0;
        await using var run = SourceRun.Start(fake.Options(o => o.ReconnectDelay = attempt =>
        {
            Interlocked.Increment(ref delays);
            return TimeSpan.FromMilliseconds(50 * attempt);
        }));
        var first = await fake.NextConnectionAsync();

        // Every new session is born expired: the handshake after each login is refused.
        fake.Settings.TokenLifetime = TimeSpan.Zero;
        fake.ExpireSessions();
        first.Drop();
        await run.WaitForStateAsync(UniFiSourceState.Reconnecting);
        var refused = await run.WaitForStateAsync(UniFiSourceState.Reconnecting);

        Assert.Contains("401", refused.Reason, StringComparison.Ordinal);
        Assert.True(fake.LoginAttempts <= 4, $"{fake.LoginAttempts} logins");
        Assert.True(Volatile.Read(ref delays) >= 2);
    }

    [Theory]
    [InlineData(UniFiControllerKind.UniFiOs)]
    [InlineData(UniFiControllerKind.Classic)]
    public async Task AbruptDropsReconnectAndStreamingGoesOn(UniFiControllerKind kind)
    {
        await using var fake = await FakeUniFiController.StartAsync(new FakeControllerSettings { Kind = kind, DropAfterFrames = 2 });
        await using var run = SourceRun.Start(fake.Options());

        for (var n = 1; n <= 3; n++)
        {
            var socket = await fake.NextConnectionAsync();
            Assert.Equal(n, socket.Number);
            await socket.SendAsync(TestFrames.Connected(n));
            Assert.Equal(TestFrames.Mac(n), (await run.NextEventAsync()).ClientMac);

            // The second frame triggers the drop; like any frame in flight when a connection dies, it may be lost.
            await socket.SendAsync(Fixtures.Local("device-sync.json"));
            await socket.Ended.WithTimeout();
        }

        await fake.NextConnectionAsync();
        Assert.Equal(1, fake.LoginAttempts);
        await Timeouts.Until(() => run.Source.Statistics.Connections == 4, "the source counts the fourth connection");
        Assert.Equal(3, run.Source.Statistics.Reconnects);
        Assert.NotNull(run.Source.Statistics.LastError);
    }

    [Fact]
    public async Task PoliteCloseByTheControllerReconnects()
    {
        await using var fake = await FakeUniFiController.StartAsync();
        await using var run = SourceRun.Start(fake.Options());
        var first = await fake.NextConnectionAsync();

        await first.CloseAsync();
        var waiting = await run.WaitForStateAsync(UniFiSourceState.Reconnecting);
        var second = await fake.NextConnectionAsync();
        await second.SendAsync(TestFrames.Connected(1));

        await run.NextEventAsync();
        Assert.Contains("closed", waiting.Reason, StringComparison.Ordinal);
        Assert.Contains("restarting", waiting.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SilentSocketWhosePingsGoUnansweredIsAbandonedAndReopened()
    {
        await using var fake = await FakeUniFiController.StartAsync(new FakeControllerSettings { SilentConnections = 1 });
        await using var run = SourceRun.Start(fake.Options());

        var silent = await fake.NextConnectionAsync();
        Assert.True(silent.IsSilent);
        var waiting = await run.WaitForStateAsync(UniFiSourceState.Reconnecting);
        var second = await fake.NextConnectionAsync();
        await second.SendAsync(TestFrames.Connected(1));

        await run.NextEventAsync();
        await silent.Ended.WithTimeout();
        Assert.Equal(1, fake.LoginAttempts);
        Assert.NotNull(waiting.Reason);
    }

    [Fact]
    public async Task SilenceTimeoutAbandonsASocketThatSendsNothingEvenWithoutKeepAlive()
    {
        await using var fake = await FakeUniFiController.StartAsync(new FakeControllerSettings { SilentConnections = 1 });
        await using var run = SourceRun.Start(fake.Options(o =>
        {
            o.KeepAliveInterval = TimeSpan.Zero;
            o.SilenceTimeout = TimeSpan.FromMilliseconds(300);
        }));

        await fake.NextConnectionAsync();
        var waiting = await run.WaitForStateAsync(UniFiSourceState.Reconnecting);
        var second = await fake.NextConnectionAsync();
        await second.SendAsync(TestFrames.Connected(1));

        await run.NextEventAsync();
        Assert.Contains("SilenceTimeout", waiting.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancellingStopsTheSourceAndCompletesRun()
    {
        await using var fake = await FakeUniFiController.StartAsync();
        using var cts = new CancellationTokenSource();
        await using var source = new UniFiSource(fake.Options());
        var run = source.RunAsync((_, _) => ValueTask.CompletedTask, cts.Token);
        var connection = await fake.NextConnectionAsync();

        await cts.CancelAsync();
        await run.WithTimeout();

        Assert.Equal(UniFiSourceState.Stopped, source.State);
        await connection.Ended.WithTimeout();
    }

    [Fact]
    public async Task ReconnectAttemptsAreNumberedFromOneAgainAfterAConnection()
    {
        await using var fake = await FakeUniFiController.StartAsync(new FakeControllerSettings { DropAfterFrames = 1 });
        var attempts = new System.Collections.Concurrent.ConcurrentQueue<int>();
        await using var run = SourceRun.Start(fake.Options(o => o.ReconnectDelay = attempt =>
        {
            attempts.Enqueue(attempt);
            return TimeSpan.FromMilliseconds(10);
        }));

        for (var i = 1; i <= 3; i++)
        {
            var socket = await fake.NextConnectionAsync();
            await socket.SendAsync(TestFrames.Connected(i));
        }

        await fake.NextConnectionAsync();

        // Each of the three drops starts counting at one. A busy machine may fail an attempt in between; that
        // one counts on from the attempt before it, and the count still starts over after the next connection.
        var seen = attempts.ToArray();
        Assert.True(seen.Count(a => a == 1) >= 3, $"attempts: {string.Join(", ", seen)}");
        Assert.All(seen.Zip(seen.Skip(1)), pair => Assert.True(pair.Second == 1 || pair.Second == pair.First + 1, $"attempts: {string.Join(", ", seen)}"));
    }
}
