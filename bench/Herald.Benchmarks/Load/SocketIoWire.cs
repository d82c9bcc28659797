namespace Herald.Benchmarks.Load;

/// <summary>
/// Socket.IO 4 over its WebSocket transport (Engine.IO 4 framing): the open packet <c>0{…}</c> is answered with a
/// namespace connect <c>40</c>; pings <c>2</c> with pongs <c>3</c>; events arrive as <c>42["event",PAYLOAD]</c>.
/// </summary>
internal sealed class SocketIoWire : Wire
{
    private static readonly byte[] Connect = WebSocketFrames.Client("40");
    private static readonly byte[] Pong = WebSocketFrames.Client("3");

    public override string Target(string topic, long? since) => "/socket.io/?EIO=4&transport=websocket&topic=" + topic;

    public override void OnMessage(Subscriber subscriber, ReadOnlySpan<byte> message, long now)
    {
        if (message.StartsWith("42[\"event\""u8))
        {
            subscriber.OnEvent(message, now, 0);
        }
        else if (message.SequenceEqual("2"u8))
        {
            subscriber.Send(Pong);
        }
        else if (message.StartsWith("42[\"welcome\""u8))
        {
            subscriber.OnWelcome(now, liveNow: true);
        }
        else if (message.Length > 0 && message[0] == (byte)'0')
        {
            subscriber.Send(Connect);
        }
    }
}
