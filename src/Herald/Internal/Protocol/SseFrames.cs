using System.Text;

namespace Herald.Internal.Protocol;

/// <summary>Encodes items for the Server-Sent Events stream.</summary>
internal static class SseFrames
{
    public static readonly byte[] Ping = ": ping\n\n"u8.ToArray();

    /// <summary><c>id:</c> the event id, <c>event:</c> its type, <c>data:</c> its JSON.</summary>
    public static byte[] Event(HeraldEvent e)
    {
        var head = Encoding.UTF8.GetBytes($"id: {e.Id}\nevent: {SingleLine(e.Type)}\ndata: ");
        var json = e.ToJsonUtf8().AsSpan();
        var frame = new byte[head.Length + json.Length + 2];
        head.CopyTo(frame, 0);
        json.CopyTo(frame.AsSpan(head.Length));
        frame[^2] = (byte)'\n';
        frame[^1] = (byte)'\n';
        return frame;
    }

    /// <summary>A comment that says why the stream ends, such as <c>: closed 4000 slow consumer</c>.</summary>
    public static byte[] Closed(CloseReason reason) => Encoding.UTF8.GetBytes($": closed {reason.Code} {SingleLine(reason.Text)}\n\n");

    /// <summary>The SSE form of a protocol v1 control frame, or null when it has none.</summary>
    public static byte[]? Control(byte[] frame)
    {
        var span = frame.AsSpan();
        if (span.StartsWith("""{"type":"ping","""u8))
        {
            return Ping;
        }

        if (span.StartsWith("""{"type":"resumed","""u8))
        {
            return Named("resumed", frame);
        }

        if (span.StartsWith("""{"type":"error","""u8))
        {
            return Named("error", frame);
        }

        return null;
    }

    // Frames are compact JSON (no raw newlines), so one data line carries them.
    private static byte[] Named(string name, byte[] json) => [.. Encoding.UTF8.GetBytes($"event: {name}\ndata: "), .. json, (byte)'\n', (byte)'\n'];

    private static string SingleLine(string value) => value.Contains('\n') || value.Contains('\r') ? value.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal) : value;
}
