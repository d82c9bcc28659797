using System.Globalization;
using Herald.Benchmarks.Shared;

namespace Herald.Benchmarks.Load;

/// <summary>Herald's JSON frames (docs/protocol.md): welcome, event, ping (answered with pong), resumed after a replay.</summary>
internal sealed class HeraldWire : Wire
{
    private static readonly byte[] Pong = WebSocketFrames.Client("{\"type\":\"pong\"}");

    public override string Target(string topic, long? since)
        => "/ws/events?topics=" + topic + (since is { } id ? "&since=" + id.ToString(CultureInfo.InvariantCulture) : "");

    public override void OnMessage(Subscriber subscriber, ReadOnlySpan<byte> message, long now)
    {
        if (message.StartsWith("{\"type\":\"event\""u8))
        {
            Payload.TryReadEventId(message, out var id);
            subscriber.OnEvent(message, now, id);
        }
        else if (message.StartsWith("{\"type\":\"ping\""u8))
        {
            subscriber.Send(Pong);
        }
        else if (message.StartsWith("{\"type\":\"welcome\""u8))
        {
            subscriber.OnWelcome(now, liveNow: !subscriber.Resuming);
        }
        else if (message.StartsWith("{\"type\":\"resumed\""u8))
        {
            subscriber.OnLive(now);
        }
    }
}
