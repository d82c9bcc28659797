using Herald.Testing;
using Herald.UniFi.Tests.FakeController;

namespace Herald.UniFi.Tests;

public sealed class FrameStreamTests
{
    [Fact]
    public async Task InvalidAndUnknownFramesAreSkippedAndCountedAndStreamingGoesOn()
    {
        await using var fake = await FakeUniFiController.StartAsync();
        await using var run = SourceRun.Start(fake.Options());
        var socket = await fake.NextConnectionAsync();

        await socket.SendAsync(TestFrames.InvalidJson);
        await socket.SendAsync(Fixtures.Local("device-sync.json"));
        await socket.SendAsync(Fixtures.Controller("user-delete.json"));
        await socket.SendAsync(Fixtures.Local("rc-error.json"));
        await socket.SendAsync(TestFrames.Connected(1));

        Assert.Equal(TestFrames.Mac(1), (await run.NextEventAsync()).ClientMac);
        var parser = run.Source.Statistics.Parser;
        Assert.Equal(5, parser.Frames);
        Assert.Equal(2, parser.InvalidFrames);
        Assert.Equal(1, parser.UnknownMessageTypes["device:sync"]);
        Assert.Equal(1, parser.UnknownMessageTypes["user:delete"]);
        Assert.Equal(1, parser.Events);
        Assert.Equal(UniFiSourceState.Connected, run.Source.State);
        Assert.Equal(1, run.Source.Statistics.Connections);
    }

    [Fact]
    public async Task RealControllerFramesStreamThroughAsEvents()
    {
        await using var fake = await FakeUniFiController.StartAsync(new FakeControllerSettings { Kind = UniFiControllerKind.Classic });
        await using var run = SourceRun.Start(fake.Options());
        var socket = await fake.NextConnectionAsync();

        await socket.SendAsync(Fixtures.Controller("events-wu-connected.json"));
        await socket.SendAsync(Fixtures.Controller("events-wu-disconnected.json"));
        await socket.SendAsync(Fixtures.Controller("sta-sync.json"));

        Assert.Equal(UniFiEventTypes.Connected, (await run.NextEventAsync()).Type);
        Assert.Equal(UniFiEventTypes.Disconnected, (await run.NextEventAsync()).Type);
        Assert.Equal(UniFiEventTypes.StaSync, (await run.NextEventAsync()).Type);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(64 * 1024)]
    public async Task OversizedFrameIsDiscardedAndCountedAndStreamingGoesOn(int? fragmentBytes)
    {
        await using var fake = await FakeUniFiController.StartAsync();
        await using var run = SourceRun.Start(fake.Options());
        var socket = await fake.NextConnectionAsync();
        var oversized = TestFrames.ConnectedOfSize(1, UniFiParserOptions.DefaultMaxFrameBytes + 1);

        await socket.SendAsync(oversized, fragmentBytes);
        await socket.SendAsync(TestFrames.Connected(2));

        Assert.Equal(TestFrames.Mac(2), (await run.NextEventAsync()).ClientMac);
        var parser = run.Source.Statistics.Parser;
        Assert.Equal(1, parser.OversizedFrames);
        Assert.Equal(2, parser.Frames);
        Assert.Equal(1, run.Source.Statistics.Connections);
        lock (run.Logger.Entries)
        {
            Assert.Contains(run.Logger.Entries, e => e.Id.Id == 5000 && e.Message.Contains((UniFiParserOptions.DefaultMaxFrameBytes + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData(100_000)]
    public async Task FrameOfExactlyTheLimitIsParsed(int? fragmentBytes)
    {
        await using var fake = await FakeUniFiController.StartAsync();
        await using var run = SourceRun.Start(fake.Options());
        var socket = await fake.NextConnectionAsync();

        await socket.SendAsync(TestFrames.ConnectedOfSize(1, UniFiParserOptions.DefaultMaxFrameBytes), fragmentBytes);
        await socket.SendAsync(TestFrames.Connected(2));

        Assert.Equal(TestFrames.Mac(1), (await run.NextEventAsync()).ClientMac);
        Assert.Equal(TestFrames.Mac(2), (await run.NextEventAsync()).ClientMac);
        Assert.Equal(0, run.Source.Statistics.Parser.OversizedFrames);
    }

    [Fact]
    public async Task SinkFailureIsCountedAndLaterFramesStillArrive()
    {
        await using var fake = await FakeUniFiController.StartAsync();
        var seen = System.Threading.Channels.Channel.CreateUnbounded<string>();
        var calls = 0;
        await using var run = SourceRun.Start(fake.Options(), (events, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new InvalidOperationException("store unavailable");
            }

            seen.Writer.TryWrite(events[0].ClientMac);
            return ValueTask.CompletedTask;
        });
        var socket = await fake.NextConnectionAsync();

        await socket.SendAsync(TestFrames.Connected(1));
        await socket.SendAsync(TestFrames.Connected(2));

        Assert.Equal(TestFrames.Mac(2), await seen.Reader.ReadAsync().AsTask().WithTimeout());
        Assert.Equal(1, run.Source.Statistics.SinkFailures);
        Assert.Equal(1, run.Source.Statistics.Connections);
    }
}
