using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Herald.Benchmarks.Load;
using Herald.Benchmarks.Servers;

namespace Herald.Benchmarks.Tests;

/// <summary>
/// The load worker reads each server's protocol from whatever pieces its sockets deliver: WebSocket frame headers of
/// every length form, and NATS records split anywhere across WebSocket messages.
/// </summary>
public sealed class LoadWireTests
{
    [Property(MaxTest = 200)]
    public Property EveryPayloadLengthFormReadsBackFromItsHeader()
        => Prop.ForAll(Gen.Choose(0, 70_000).ToArbitrary(), length =>
        {
            var frame = WebSocketFrames.Client(new byte[length], WebSocketFrames.Binary);

            var whole = WebSocketFrames.TryReadHeader(frame, out var headerLength, out var payloadLength, out var opcode, out var fin);
            var cut = WebSocketFrames.TryReadHeader(frame.AsSpan(0, Math.Min(headerLength - 1, frame.Length)), out _, out _, out _, out _);

            return whole && payloadLength == length && opcode == WebSocketFrames.Binary && fin && headerLength + length == frame.Length && !cut;
        });

    [Property(MaxTest = 200)]
    public Property NatsRecordsSplitAnywhereAreEachCountedOnce()
        => Prop.ForAll(Gen.Choose(1, 12).ToArbitrary(), Gen.ListOf(Gen.Choose(1, 40)).ToArbitrary(), (count, cuts) =>
        {
            var stream = new StringBuilder();
            for (var i = 0; i < count; i++)
            {
                var payload = Shared.Payload.Create(i);
                stream.Append("MSG bench 1 ").Append(payload.Length).Append("\r\n").Append(payload).Append("\r\n");
                if (i % 3 == 0)
                {
                    stream.Append("PING\r\n");
                }
            }
            var bytes = Encoding.ASCII.GetBytes(stream.ToString());
            using var loop = new EventLoop(new LoadOptions { Kind = ServerKind.Nats, Urls = [new Uri("http://127.0.0.1:1")] });
            var subscriber = new Subscriber(loop, 0, "bench") { State = SubscriberState.Ready };
            var wire = new NatsWire();
            var position = 0;
            foreach (var cut in cuts.Append(bytes.Length))
            {
                var end = Math.Min(bytes.Length, position + cut);
                wire.OnMessage(subscriber, bytes.AsSpan(position, end - position), 0);
                position = end;
                if (position == bytes.Length)
                {
                    break;
                }
            }
            if (position < bytes.Length)
            {
                wire.OnMessage(subscriber, bytes.AsSpan(position), 0);
            }

            return loop.Stats.Received == count && loop.Stats.Duplicates == 0 && subscriber.LastSeq == count - 1 && subscriber.Stream.Length == 0;
        });

    [Fact]
    public void TrackerCountsWhatIsMissingAndWhatCameTwice()
    {
        var tracker = new SeqTracker(from: 100, size: 10);

        Assert.True(tracker.Mark(100));
        Assert.True(tracker.Mark(103));
        Assert.False(tracker.Mark(103));
        Assert.True(tracker.Mark(99));

        Assert.Equal(2, tracker.Missing(last: 103));
        Assert.Equal(8, tracker.Missing(last: 200));
    }
}
