using System.Buffers;
using System.Text.Json;

namespace Herald.JetStream.Internal;

/// <summary>
/// A message body Herald stores in NATS: <c>{"type"?,"time","source"?,"data"}</c> as UTF-8 JSON, the data written as
/// it came and read back as a slice of the body, not a copy. Events carry a type (their topic is the subject, their id
/// the stream sequence); a session's queued messages carry only time and data. JSON rather than headers, because a
/// type or source may hold any Unicode, which NATS headers do not carry.
/// </summary>
internal static class Envelope
{
    public static byte[] Write(string? type, DateTimeOffset time, string? source, ReadOnlyMemory<byte> data)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + (type?.Length ?? 0) + (source?.Length ?? 0) + data.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (type is not null)
            {
                writer.WriteString("type"u8, type);
            }

            writer.WriteString("time"u8, time.UtcDateTime);
            if (source is not null)
            {
                writer.WriteString("source"u8, source);
            }

            writer.WritePropertyName("data"u8);
            writer.WriteRawValue(data.Span, skipInputValidation: true);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <exception cref="FormatException">The body is not an envelope with a time and data.</exception>
    public static (string? Type, DateTimeOffset Time, string? Source, ReadOnlyMemory<byte> Data) Read(ReadOnlyMemory<byte> body)
    {
        string? type = null;
        string? source = null;
        DateTimeOffset? time = null;
        ReadOnlyMemory<byte>? data = null;
        try
        {
            var reader = new Utf8JsonReader(body.Span);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException("The message body is not a JSON object.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    type = reader.GetString();
                }
                else if (reader.ValueTextEquals("time"u8))
                {
                    reader.Read();
                    time = reader.GetDateTimeOffset();
                }
                else if (reader.ValueTextEquals("source"u8))
                {
                    reader.Read();
                    source = reader.GetString();
                }
                else if (reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    data = body[start..(int)reader.BytesConsumed];
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new FormatException($"A stored message is malformed: {ex.Message}", ex);
        }

        return time is { } t && data is { } d ? (type, t, source, d) : throw new FormatException("A stored message has no time or data.");
    }

    /// <summary>An event's body.</summary>
    public static byte[] Write(NewEvent e, DateTimeOffset time) => Write(e.Type, time, e.Source, e.Data);

    /// <summary>A stored event back from its body.</summary>
    /// <exception cref="FormatException">The body is not an event's.</exception>
    public static HeraldEvent ReadEvent(long id, string topic, ReadOnlyMemory<byte> body, DateTimeOffset? storedAt)
    {
        var (type, time, source, data) = Read(body);
        return type is null
            ? throw new FormatException($"Event {id} has no type.")
            : new HeraldEvent(id, topic, type, time, source, data, storedAt);
    }
}
