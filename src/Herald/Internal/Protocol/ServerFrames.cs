using System.Buffers;
using System.Text.Json;

namespace Herald.Internal.Protocol;

/// <summary>
/// Writes the server-to-client frames of protocol v1 as UTF-8 JSON text. The frames a client sends too
/// (<c>message</c>, <c>ping</c>, <c>pong</c>) come from the encoder shared with Herald.Client, <see cref="ProtocolFrames"/>.
/// </summary>
internal static class ServerFrames
{
    private static ReadOnlySpan<byte> EventPrefix => """{"type":"event","data":"""u8;

    /// <summary>The <c>event</c> frame; built once per event and shared by every connection.</summary>
    public static byte[] Event(HeraldEvent e)
    {
        var json = e.ToJsonUtf8().AsSpan();
        var frame = new byte[EventPrefix.Length + json.Length + 1];
        EventPrefix.CopyTo(frame);
        json.CopyTo(frame.AsSpan(EventPrefix.Length));
        frame[^1] = (byte)'}';
        return frame;
    }

    public static byte[] Welcome(string connectionId, string sessionId, string resumeToken, TimeSpan heartbeat)
        => Write(w =>
        {
            w.WriteString("type"u8, "welcome"u8);
            w.WriteString("connectionId"u8, connectionId);
            w.WriteString("sessionId"u8, sessionId);
            w.WriteString("resumeToken"u8, resumeToken);
            w.WriteNumber("heartbeat"u8, (int)Math.Ceiling(heartbeat.TotalSeconds));
        });

    public static byte[] Message(ReadOnlySpan<byte> data) => ProtocolFrames.Message(data);

    public static byte[] Ping(DateTimeOffset now) => ProtocolFrames.Ping(now);

    public static byte[] Pong(DateTimeOffset now, ReadOnlyMemory<byte> reference) => ProtocolFrames.Pong(now, reference.Span);

    public static byte[] Subscription(bool subscribed, IEnumerable<string> topics, ReadOnlyMemory<byte> reference)
        => Write(w =>
        {
            w.WriteString("type"u8, subscribed ? "subscribed"u8 : "unsubscribed"u8);
            w.WriteStartArray("topics"u8);
            foreach (var topic in topics)
            {
                w.WriteStringValue(topic);
            }

            w.WriteEndArray();
            WriteRef(w, reference);
        });

    public static byte[] Published(IReadOnlyList<long> ids, ReadOnlyMemory<byte> reference)
        => Write(w =>
        {
            w.WriteString("type"u8, "published"u8);
            w.WriteNumber("id"u8, ids[^1]);
            if (ids.Count > 1)
            {
                w.WriteStartArray("ids"u8);
                foreach (var id in ids)
                {
                    w.WriteNumberValue(id);
                }

                w.WriteEndArray();
            }

            WriteRef(w, reference);
        });

    public static byte[] Resumed(long since, long lastId, bool complete, ReadOnlyMemory<byte> reference)
        => Write(w =>
        {
            w.WriteString("type"u8, "resumed"u8);
            w.WriteNumber("since"u8, since);
            w.WriteNumber("lastId"u8, lastId);
            w.WriteBoolean("complete"u8, complete);
            WriteRef(w, reference);
        });

    /// <summary><c>refresh</c>: the token runs out at <paramref name="expiresAt"/>; send a fresh one in an <c>auth</c> frame.</summary>
    public static byte[] Refresh(DateTimeOffset expiresAt)
        => Write(w =>
        {
            w.WriteString("type"u8, "refresh"u8);
            w.WriteString("expiresAt"u8, expiresAt.UtcDateTime);
        });

    /// <summary><c>authenticated</c>: the answer to an <c>auth</c> frame whose token was accepted.</summary>
    public static byte[] Authenticated(DateTimeOffset? expiresAt, ReadOnlyMemory<byte> reference)
        => Write(w =>
        {
            w.WriteString("type"u8, "authenticated"u8);
            if (expiresAt is { } expires)
            {
                w.WriteString("expiresAt"u8, expires.UtcDateTime);
            }
            else
            {
                w.WriteNull("expiresAt"u8);
            }

            WriteRef(w, reference);
        });

    public static byte[] Ack(ReadOnlyMemory<byte> reference)
        => Write(w =>
        {
            w.WriteString("type"u8, "ack"u8);
            WriteRef(w, reference);
        });

    public static byte[] Error(string code, string message, ReadOnlyMemory<byte> reference = default)
        => Write(w =>
        {
            w.WriteString("type"u8, "error"u8);
            w.WriteString("code"u8, code);
            w.WriteString("message"u8, message);
            WriteRef(w, reference);
        });

    private static void WriteRef(Utf8JsonWriter writer, ReadOnlyMemory<byte> reference)
    {
        if (!reference.IsEmpty)
        {
            writer.WritePropertyName("ref"u8);
            writer.WriteRawValue(reference.Span, skipInputValidation: true);
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
