using System.Buffers;
using System.Text.Json;

namespace Herald.JetStream.Internal;

/// <summary>
/// An event's message body in the events stream: <c>{"type","time","source","data"}</c> as UTF-8 JSON. The topic is
/// the subject and the id the stream sequence, so neither is repeated. JSON rather than headers because a type or
/// source may hold any Unicode, which NATS headers do not carry.
/// </summary>
internal static class EventEnvelope
{
    public static byte[] Write(NewEvent e, DateTimeOffset time)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + e.Type.Length + (e.Source?.Length ?? 0) + e.Data.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, e.Type);
            writer.WriteString("time"u8, time.UtcDateTime);
            if (e.Source is not null)
            {
                writer.WriteString("source"u8, e.Source);
            }

            writer.WritePropertyName("data"u8);
            writer.WriteRawValue(e.Data.Span, skipInputValidation: true);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a stored event back; the data is a slice of <paramref name="body"/>, not a copy.</summary>
    /// <exception cref="FormatException">The body is not an event envelope.</exception>
    public static HeraldEvent Read(long id, string topic, ReadOnlyMemory<byte> body, DateTimeOffset? storedAt)
    {
        string? type = null;
        string? source = null;
        DateTimeOffset? time = null;
        ReadOnlyMemory<byte> data = default;
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
            throw new FormatException($"Event {id} has a malformed body: {ex.Message}", ex);
        }

        if (type is null || time is null)
        {
            throw new FormatException($"Event {id} has no type or time.");
        }

        return new HeraldEvent(id, topic, type, time.Value, source, data, storedAt);
    }
}
