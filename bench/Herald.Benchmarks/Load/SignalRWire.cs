namespace Herald.Benchmarks.Load;

/// <summary>
/// SignalR's JSON hub protocol with negotiation skipped: the handshake, then records ending in 0x1E; invocations of
/// <c>welcome</c> and <c>event</c>, and pings (type 6) answered with a ping. Subscribers connect to /hub?topic=T.
/// </summary>
internal sealed class SignalRWire : Wire
{
    private const byte RecordSeparator = 0x1e;
    private static readonly byte[] Handshake = WebSocketFrames.Client("{\"protocol\":\"json\",\"version\":1}\u001e");
    private static readonly byte[] Ping = WebSocketFrames.Client("{\"type\":6}\u001e");

    public override string Target(string topic, long? since) => "/hub?topic=" + topic;

    public override byte[] Hello(string topic) => Handshake;

    public override void OnMessage(Subscriber subscriber, ReadOnlySpan<byte> message, long now)
    {
        while (!message.IsEmpty)
        {
            var end = message.IndexOf(RecordSeparator);
            var record = end < 0 ? message : message[..end];
            if (record.StartsWith("{\"type\":1,\"target\":\"event\""u8))
            {
                subscriber.OnEvent(record, now, 0);
            }
            else if (record.StartsWith("{\"type\":6"u8))
            {
                subscriber.Send(Ping);
            }
            else if (record.StartsWith("{\"type\":1,\"target\":\"welcome\""u8))
            {
                subscriber.OnWelcome(now, liveNow: true);
            }
            message = end < 0 ? [] : message[(end + 1)..];
        }
    }
}
