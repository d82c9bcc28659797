using System.Text;

namespace Herald.Internal.Protocol;

/// <summary>Encodes items for the Server-Sent Events stream.</summary>
/// <remarks>
/// Events are unnamed records by default (<c>id:</c> and <c>data:</c> only), so a browser's
/// <c>EventSource.onmessage</c> receives every one of them; the event's type is inside its JSON. A stream opened
/// with <c>sseEvents=named</c> also names each record after the event's type (<c>event: motion</c>), for clients that
/// listen per type. Control records (<c>resumed</c>, <c>error</c>) are always named and carry no <c>id:</c>: an
/// event may itself have the type <c>resumed</c>, so <c>onmessage</c> sees events only, and they never move the
/// browser's Last-Event-ID.
/// </remarks>
internal static class SseFrames
{
    public static readonly byte[] Ping = ": ping\n\n"u8.ToArray();

    /// <summary>The unnamed record: <c>id:</c> the event id, <c>data:</c> its JSON.</summary>
    public static byte[] Event(HeraldEvent e)
    {
        var head = Encoding.UTF8.GetBytes($"id: {e.Id}\ndata: ");
        var json = e.ToJsonUtf8().AsSpan();
        var frame = new byte[head.Length + json.Length + 2];
        head.CopyTo(frame, 0);
        json.CopyTo(frame.AsSpan(head.Length));
        frame[^2] = (byte)'\n';
        frame[^1] = (byte)'\n';
        return frame;
    }

    /// <summary>The <c>event:</c> line that, written before <see cref="Event(HeraldEvent)"/>, names the record after the event's type.</summary>
    public static byte[] EventName(HeraldEvent e) => Encoding.UTF8.GetBytes($"event: {SingleLine(e.Type)}\n");

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
