using Herald.Internal.Connections;
using Herald.Internal.Protocol;

namespace Herald.Internal.Transports;

/// <summary>
/// How a connection's queued items reach the wire, and how the client's frames come in. Items are either an
/// <see cref="Dispatch.EventFrame"/> (an event, encoded once for every connection) or a control frame
/// (<c>byte[]</c>, protocol v1 JSON); the transport sends each its own way.
/// </summary>
internal interface IConnectionTransport
{
    /// <summary>Whether the client sends frames, so silence means it is gone (heartbeat timeout applies).</summary>
    bool ExpectsClientFrames { get; }

    /// <summary>Writes one item. Called by the connection's single writer only.</summary>
    /// <param name="item">The item to write.</param>
    /// <param name="more">Whether another item follows at once: the transport may hold this one back to send both together.</param>
    ValueTask SendAsync(object item, bool more);

    /// <summary>Ends the stream politely, after the last item, telling the client why when the transport can.</summary>
    ValueTask CloseAsync(CloseReason reason);

    /// <summary>Drops the connection at once, failing pending sends and receives.</summary>
    void Abort();

    /// <summary>Runs until the client goes away or the connection is closing.</summary>
    Task ReceiveAsync(HeraldConnection connection);
}
