namespace Herald.Benchmarks.Load;

/// <summary>
/// The broadcasters' frames (raw Kestrel, Node ws, the floor): {"type":"welcome"}, then {"type":"event","data":PAYLOAD}
/// and {"type":"ping"}, which needs no answer. Subscribers connect to /ws?topic=T.
/// </summary>
internal sealed class JsonFrameWire : Wire
{
    public override string Target(string topic, long? since) => "/ws?topic=" + topic;

    public override void OnMessage(Subscriber subscriber, ReadOnlySpan<byte> message, long now)
    {
        if (message.StartsWith("{\"type\":\"event\""u8))
        {
            subscriber.OnEvent(message, now, 0);
        }
        else if (message.StartsWith("{\"type\":\"welcome\""u8))
        {
            subscriber.OnWelcome(now, liveNow: true);
        }
    }
}
