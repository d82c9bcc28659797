using Herald.Internal.Protocol;
using Herald.Internal.Transports;
using Microsoft.AspNetCore.Http;
using Herald.Internal.Dispatch;

namespace Herald.Tests;

public sealed class SseTransportTests
{
    [Fact]
    public async Task ARunIsFlushedOnceAtItsEndEvenWhenItsLastFrameHasNoSseForm()
    {
        var body = new FlushCountingStream();
        var context = new DefaultHttpContext();
        context.Response.Body = body;
        var transport = new SseTransport(context);

        await transport.SendAsync(ServerFrames.Ping(DateTimeOffset.UnixEpoch), more: true);
        await transport.SendAsync(ServerFrames.Ping(DateTimeOffset.UnixEpoch), more: true);
        Assert.Equal(0, body.Flushes);

        // A welcome has no meaning on a one-way stream: nothing is written for it, but the run still ends here.
        await transport.SendAsync(ServerFrames.Welcome("c", "s", "r", TimeSpan.FromSeconds(30)), more: false);

        Assert.Equal(1, body.Flushes);
        Assert.Equal(": ping\n\n: ping\n\n"u8.ToArray(), body.ToArray());
    }

    [Fact]
    public async Task EventsAreUnnamedRecordsUnlessNamedOnesAreAskedFor()
    {
        var e = new HeraldEvent(7, "a/b", "motion", DateTimeOffset.UnixEpoch, null, "1"u8.ToArray());
        var unnamed = new FlushCountingStream();
        var named = new FlushCountingStream();

        await new SseTransport(new DefaultHttpContext { Response = { Body = unnamed } }).SendAsync(new EventFrame(e), more: false);
        await new SseTransport(new DefaultHttpContext { Response = { Body = named } }, namedEvents: true).SendAsync(new EventFrame(e), more: false);

        var json = System.Text.Encoding.UTF8.GetString(e.ToJsonUtf8());
        Assert.Equal($"id: 7\ndata: {json}\n\n", System.Text.Encoding.UTF8.GetString(unnamed.ToArray()));
        Assert.Equal($"event: motion\nid: 7\ndata: {json}\n\n", System.Text.Encoding.UTF8.GetString(named.ToArray()));
    }

    private sealed class FlushCountingStream : MemoryStream
    {
        public int Flushes { get; private set; }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Flushes++;
            return Task.CompletedTask;
        }
    }
}
