using System.Buffers.Binary;
using System.Text;

namespace Herald.Benchmarks.Load;

/// <summary>The client side of RFC 6455 as the load worker needs it: the upgrade request, masked frames out, server frames in.</summary>
internal static class WebSocketFrames
{
    public const byte Continuation = 0x0;
    public const byte Text = 0x1;
    public const byte Binary = 0x2;
    public const byte Close = 0x8;
    public const byte Ping = 0x9;
    public const byte Pong = 0xA;

    // Servers do not check the key beyond echoing its hash, and the load never checks the answer's hash.
    public static byte[] UpgradeRequest(string hostAndPort, string target)
        => Encoding.ASCII.GetBytes(
            $"GET {target} HTTP/1.1\r\nHost: {hostAndPort}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: aGVyYWxkLWJlbmNoLWtleQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");

    /// <summary>A masked client frame (a client must mask; a fixed mask is as valid to the server as a random one).</summary>
    public static byte[] Client(ReadOnlySpan<byte> payload, byte opcode = Text)
    {
        ReadOnlySpan<byte> mask = [0x37, 0xfa, 0x21, 0x3d];
        var headerLength = payload.Length < 126 ? 2 : payload.Length < 65536 ? 4 : 10;
        var frame = new byte[headerLength + 4 + payload.Length];
        frame[0] = (byte)(0x80 | opcode);
        if (payload.Length < 126)
        {
            frame[1] = (byte)(0x80 | payload.Length);
        }
        else if (payload.Length < 65536)
        {
            frame[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        }
        else
        {
            frame[1] = 0x80 | 127;
            BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length);
        }
        mask.CopyTo(frame.AsSpan(headerLength));
        for (var i = 0; i < payload.Length; i++)
        {
            frame[headerLength + 4 + i] = (byte)(payload[i] ^ mask[i & 3]);
        }
        return frame;
    }

    public static byte[] Client(string text, byte opcode = Text) => Client(Encoding.UTF8.GetBytes(text), opcode);

    /// <summary>Reads a server frame's header (servers never mask); false when <paramref name="data"/> does not hold it all yet.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> data, out int headerLength, out long payloadLength, out byte opcode, out bool fin)
    {
        headerLength = 0;
        payloadLength = 0;
        opcode = 0;
        fin = false;
        if (data.Length < 2)
        {
            return false;
        }
        fin = (data[0] & 0x80) != 0;
        opcode = (byte)(data[0] & 0x0f);
        var length = data[1] & 0x7f;
        var masked = (data[1] & 0x80) != 0;
        headerLength = length == 126 ? 4 : length == 127 ? 10 : 2;
        headerLength += masked ? 4 : 0;
        if (data.Length < headerLength)
        {
            return false;
        }
        payloadLength = length == 126 ? BinaryPrimitives.ReadUInt16BigEndian(data[2..])
            : length == 127 ? (long)BinaryPrimitives.ReadUInt64BigEndian(data[2..])
            : length;
        return true;
    }
}
