using System.Net.WebSockets;
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

    public bool HasSessions => false;

    public async ValueTask SendAsync(object item, bool more)
    {
        var body = context.Response.Body;
        if (namedEvents && item is HeraldEvent named)
        {
            await body.WriteAsync(SseFrames.EventName(named), context.RequestAborted).ConfigureAwait(false);
        }

        var bytes = item is HeraldEvent e ? SseFrames.Event(e) : SseFrames.Control((byte[])item);
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

    public ValueTask CloseAsync(WebSocketCloseStatus status, string reason) => ValueTask.CompletedTask;

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
