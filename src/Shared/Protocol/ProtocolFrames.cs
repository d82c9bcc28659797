using System.Buffers;
using System.Text.Json;

namespace Herald.Internal.Protocol;

/// <summary>
/// Writes the protocol v1 control frames that both ends of a Herald WebSocket send (docs/protocol.md), as
/// UTF-8 JSON text: <c>ping</c>, <c>pong</c>, <c>message</c>, <c>subscribe</c>, <c>unsubscribe</c> and
/// <c>publish</c>.
/// </summary>
/// <remarks>
/// <para>
/// A <c>ref</c> is given as its raw JSON (a string with its quotes, a number, any JSON value) and written
/// verbatim as the frame's last property, so a server echoes a client's <c>ref</c> byte for byte; empty means
/// the frame has none. <see cref="Ref(string)"/> makes one from a string. Raw <c>data</c> is written verbatim
/// too: callers pass JSON they parsed or wrote themselves.
/// </para>
/// <para>
/// Compiled into Herald (the server) and Herald.Client from <c>src/Shared</c>; frames only the server sends
/// (<c>welcome</c>, <c>event</c>, <c>resumed</c>, <c>error</c>, ...) are in the server's <c>ServerFrames</c>.
/// </para>
/// </remarks>
internal static class ProtocolFrames
{
    /// <summary>A <c>ping</c>; the server sends its time in <paramref name="timestamp"/>, a client usually sends none.</summary>
    public static byte[] Ping(DateTimeOffset? timestamp = null, ReadOnlySpan<byte> reference = default)
    {
        var buffer = new ArrayBufferWriter<byte>(96);
        using (var writer = Begin(buffer, "ping"u8))
        {
            WriteTimestamp(writer, timestamp);
            End(writer, reference);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A <c>pong</c>, the answer to a <c>ping</c>; the server adds its time and echoes the ping's <c>ref</c>.</summary>
    public static byte[] Pong(DateTimeOffset? timestamp = null, ReadOnlySpan<byte> reference = default)
    {
        var buffer = new ArrayBufferWriter<byte>(96);
        using (var writer = Begin(buffer, "pong"u8))
        {
            WriteTimestamp(writer, timestamp);
            End(writer, reference);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A <c>message</c> whose <c>data</c> is the raw JSON value <paramref name="data"/>, written verbatim.</summary>
    public static byte[] Message(ReadOnlySpan<byte> data, ReadOnlySpan<byte> reference = default)
        => RawData("message"u8, data, reference);

    /// <summary>A <c>message</c> whose <c>data</c> is <paramref name="data"/>.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="data"/> is the default (undefined) element.</exception>
    public static byte[] Message(JsonElement data, ReadOnlySpan<byte> reference = default)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = Begin(buffer, "message"u8))
        {
            writer.WritePropertyName("data"u8);
            data.WriteTo(writer);
            End(writer, reference);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A <c>subscribe</c> to <paramref name="topics"/>; with <paramref name="since"/>, the server replays the events after that id first.</summary>
    public static byte[] Subscribe(IEnumerable<string> topics, long? since = null, ReadOnlySpan<byte> reference = default)
        => Topics("subscribe"u8, topics, since, reference);

    /// <summary>An <c>unsubscribe</c> from <paramref name="topics"/> (patterns exactly as subscribed).</summary>
    public static byte[] Unsubscribe(IEnumerable<string> topics, ReadOnlySpan<byte> reference = default)
        => Topics("unsubscribe"u8, topics, since: null, reference);

    /// <summary>A <c>publish</c> whose <c>data</c> is the raw JSON of one event <c>{topic, type, data, time?, source?}</c> or an array of them.</summary>
    public static byte[] Publish(ReadOnlySpan<byte> data, ReadOnlySpan<byte> reference = default)
        => RawData("publish"u8, data, reference);

    /// <summary>An <c>auth</c>: a fresh token for the connected user, usually the answer to a <c>refresh</c>.</summary>
    public static byte[] Auth(string token, ReadOnlySpan<byte> reference = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        var buffer = new ArrayBufferWriter<byte>(token.Length + 48);
        using (var writer = Begin(buffer, "auth"u8))
        {
            writer.WriteString("token"u8, token);
            End(writer, reference);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The raw JSON of a string <c>ref</c> (the string quoted and escaped), for the frame methods' <c>reference</c>.</summary>
    public static byte[] Ref(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var buffer = new ArrayBufferWriter<byte>(value.Length + 2);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(value);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] RawData(ReadOnlySpan<byte> type, ReadOnlySpan<byte> data, ReadOnlySpan<byte> reference)
    {
        var buffer = new ArrayBufferWriter<byte>(data.Length + 64);
        using (var writer = Begin(buffer, type))
        {
            writer.WritePropertyName("data"u8);
            writer.WriteRawValue(data, skipInputValidation: true);
            End(writer, reference);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Topics(ReadOnlySpan<byte> type, IEnumerable<string> topics, long? since, ReadOnlySpan<byte> reference)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = Begin(buffer, type))
        {
            writer.WriteStartArray("topics"u8);
            foreach (var topic in topics)
            {
                writer.WriteStringValue(topic);
            }

            writer.WriteEndArray();
            if (since is { } value)
            {
                writer.WriteNumber("since"u8, value);
            }

            End(writer, reference);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static Utf8JsonWriter Begin(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> type)
    {
        var writer = new Utf8JsonWriter(buffer);
        writer.WriteStartObject();
        writer.WriteString("type"u8, type);
        return writer;
    }

    private static void WriteTimestamp(Utf8JsonWriter writer, DateTimeOffset? timestamp)
    {
        if (timestamp is { } time)
        {
            writer.WriteString("timestamp"u8, time.UtcDateTime);
        }
    }

    private static void End(Utf8JsonWriter writer, ReadOnlySpan<byte> reference)
    {
        if (!reference.IsEmpty)
        {
            writer.WritePropertyName("ref"u8);
            writer.WriteRawValue(reference, skipInputValidation: true);
        }

        writer.WriteEndObject();
    }
}
