using Herald.Internal.Connections;
using Herald.Internal.Dispatch;
using Herald.Internal.Protocol;
using Microsoft.AspNetCore.Http;

namespace Herald.Internal.Transports;

/// <summary>
/// Server-Sent Events: events as <c>id/data</c> records (named after their type too when
/// <paramref name="namedEvents"/>), pings as comments, <c>resumed</c> and <c>error</c> as named records; other
/// control frames have no meaning on a one-way stream.
/// </summary>
internal sealed class SseTransport(HttpContext context, bool namedEvents = false) : IConnectionTransport
{
    public bool ExpectsClientFrames => false;

    public async ValueTask SendAsync(object item, bool more)
    {
        var body = context.Response.Body;
        if (namedEvents && item is EventFrame named)
        {
            await body.WriteAsync(SseFrames.EventName(named.Event), context.RequestAborted).ConfigureAwait(false);
        }

        var bytes = item is EventFrame e ? e.Sse : SseFrames.Control((byte[])item);
        if (bytes is not null)
        {
            await body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        }

        // The last item of a run flushes the run, even when it has nothing to say on this stream itself.
        if (!more)
        {
            await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }

    public async ValueTask CloseAsync(CloseReason reason)
    {
        // A stream has no close frame; a last comment says why it ends, for whoever reads the raw stream.
        if (reason.Code != CloseReason.Normal.Code && !context.RequestAborted.IsCancellationRequested)
        {
            var body = context.Response.Body;
            await body.WriteAsync(SseFrames.Closed(reason), context.RequestAborted).ConfigureAwait(false);
            await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }

    public void Abort() => context.Abort();

    public async Task ReceiveAsync(HeraldConnection connection)
    {
        // Nothing to read: run until the client disconnects or the hub closes the stream.
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (context.RequestAborted.Register(() => aborted.TrySetResult()).ConfigureAwait(false))
        {
            await Task.WhenAny(aborted.Task, connection.Closing).ConfigureAwait(false);
        }
    }
}
