using System.Buffers.Text;
using System.Text;

namespace Herald.Benchmarks.Load;

/// <summary>
/// The NATS text protocol over nats-server's WebSocket listener: CONNECT, SUB and a PING whose PONG says the
/// subscription is in place; then MSG records (several per WebSocket message, or one split over several), and server
/// PINGs answered with PONG. Payloads arrive as published, with no envelope.
/// </summary>
internal sealed class NatsWire : Wire
{
    private static readonly byte[] PongFrame = WebSocketFrames.Client("PONG\r\n", WebSocketFrames.Binary);

    public override string Target(string topic, long? since) => "/";

    public override byte[] Hello(string topic)
        => WebSocketFrames.Client(
            "CONNECT {\"verbose\":false,\"pedantic\":false,\"protocol\":1,\"name\":\"herald-bench\"}\r\nSUB " + topic + " 1\r\nPING\r\n",
            WebSocketFrames.Binary);

    public override void OnMessage(Subscriber subscriber, ReadOnlySpan<byte> message, long now)
    {
        var stream = subscriber.Stream;
        ReadOnlySpan<byte> data;
        if (stream.Length > 0)
        {
            stream.Append(message);
            data = stream.Span;
        }
        else
        {
            data = message;
        }

        var consumed = Parse(subscriber, data, now);
        if (stream.Length > 0)
        {
            stream.Consume(consumed);
        }
        else if (consumed < data.Length)
        {
            stream.Append(data[consumed..]);
        }
    }

    /// <summary>Handles every whole record; returns the bytes consumed.</summary>
    private int Parse(Subscriber subscriber, ReadOnlySpan<byte> data, long now)
    {
        var position = 0;
        while (position < data.Length)
        {
            var rest = data[position..];
            var lineEnd = rest.IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                return position;
            }
            var line = rest[..lineEnd];
            if (line.StartsWith("MSG "u8))
            {
                // MSG <subject> <sid> [reply-to] <#bytes>
                var lastSpace = line.LastIndexOf((byte)' ');
                if (!Utf8Parser.TryParse(line[(lastSpace + 1)..], out int length, out _))
                {
                    throw new InvalidDataException("bad MSG line: " + Encoding.ASCII.GetString(line));
                }
                var total = lineEnd + 2 + length + 2;
                if (rest.Length < total)
                {
                    return position;
                }
                subscriber.OnEvent(rest.Slice(lineEnd + 2, length), now, 0);
                position += total;
                continue;
            }
            if (line.SequenceEqual("PING"u8))
            {
                subscriber.Send(PongFrame);
            }
            else if (line.SequenceEqual("PONG"u8))
            {
                subscriber.OnWelcome(now, liveNow: true);
            }
            else if (line.StartsWith("-ERR"u8))
            {
                throw new InvalidDataException("nats-server said " + Encoding.ASCII.GetString(line));
            }
            position += lineEnd + 2;
        }
        return position;
    }
}
