using Herald.Internal.Protocol;

namespace Herald.Internal.Dispatch;

/// <summary>
/// An event on its way to connections: the event and its encoded forms, built once per fan-out and shared by
/// every connection's send queue that gets it. The WebSocket frame is built before the first offer; the SSE
/// record only when an SSE stream asks for it.
/// </summary>
internal sealed class EventFrame(HeraldEvent e)
{
    private byte[]? _sse;

    public HeraldEvent Event { get; } = e;

    public long Id => Event.Id;

    public string Topic => Event.Topic;

    /// <summary>The protocol v1 <c>event</c> frame.</summary>
    public byte[] WebSocket { get; } = ServerFrames.Event(e);

    /// <summary>
    /// The Server-Sent Events record. Writers on several threads may race to build it; each builds the same bytes,
    /// so whichever is kept is right.
    /// </summary>
    public byte[] Sse => _sse ??= SseFrames.Event(Event);
}
