using Herald.Benchmarks.Servers;

namespace Herald.Benchmarks.Load;

/// <summary>
/// One server's subscriber protocol over WebSocket: the request target, what to send after the upgrade, and what each
/// message from the server means (welcome, live, event, heartbeat to answer).
/// </summary>
internal abstract class Wire
{
    public static Wire For(ServerKind kind) => kind switch
    {
        ServerKind.Herald => new HeraldWire(),
        ServerKind.Nats => new NatsWire(),
        ServerKind.SocketIo => new SocketIoWire(),
        ServerKind.SignalR => new SignalRWire(),
        _ => new JsonFrameWire(),
    };

    /// <summary>The upgrade request's target for a subscriber of <paramref name="topic"/>; <paramref name="since"/> asks Herald to replay after that id.</summary>
    public abstract string Target(string topic, long? since);

    /// <summary>Frames to send as soon as the upgrade is answered.</summary>
    public virtual byte[] Hello(string topic) => [];

    /// <summary>Handles one whole message (a text or binary WebSocket message).</summary>
    public abstract void OnMessage(Subscriber subscriber, ReadOnlySpan<byte> message, long now);
}
