using System.Net.WebSockets;
using Herald.Internal.Diagnostics;
using Herald.Internal.Dispatch;
using Herald.Internal.Protocol;
using Herald.Internal.Transports;
using Herald.Internal.Transports.Direct;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Herald.Internal.Connections;

/// <summary>Builds connections with what they need: the subscription index, the log for replays, options, clock, metrics and a logger.</summary>
internal sealed class ConnectionFactory(SubscriptionIndex index, IEventStore store, HeraldOptions options, TimeProvider time, HeraldMetrics metrics, ClientFrameHandler frames, ILogger logger)
{
    private readonly WebSocketReceiver _receiver = new(frames, options, time, logger);
    private readonly ConnectionServices _services = new(index, store, options, time, metrics, logger);

    /// <summary>A protocol v1 connection over <paramref name="socket"/>; <paramref name="stream"/> is the socket's stream when it can coalesce writes.</summary>
    public HeraldConnection ForWebSocket(WebSocket socket, ICoalescingStream? stream, ConnectionIdentity identity)
        => Create(new WebSocketTransport(socket, _receiver, stream), identity);

    /// <summary>A Server-Sent Events stream on <paramref name="context"/>'s response; <paramref name="namedEvents"/> names each event record after its type.</summary>
    public HeraldConnection ForServerSentEvents(HttpContext context, bool namedEvents, ConnectionIdentity identity)
        => Create(new SseTransport(context, namedEvents), identity);

    private HeraldConnection Create(IConnectionTransport transport, ConnectionIdentity identity)
        => new(transport, _services, identity);
}
