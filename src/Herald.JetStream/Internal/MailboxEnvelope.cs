using System.Buffers;
using System.Text.Json;

namespace Herald.JetStream.Internal;

/// <summary>A direct message's body in a session's mailbox: <c>{"time","data"}</c> as UTF-8 JSON.</summary>
internal static class MailboxEnvelope
{
    public static byte[] Write(DateTimeOffset time, ReadOnlyMemory<byte> data)
    {
        var buffer = new ArrayBufferWriter<byte>(48 + data.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("time"u8, time.UtcDateTime);
            writer.WritePropertyName("data"u8);
            writer.WriteRawValue(data.Span, skipInputValidation: true);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <exception cref="FormatException">The body is not a mailbox message.</exception>
    public static (DateTimeOffset Time, ReadOnlyMemory<byte> Data) Read(ReadOnlyMemory<byte> body)
    {
        DateTimeOffset? time = null;
        ReadOnlyMemory<byte>? data = null;
        try
        {
            var reader = new Utf8JsonReader(body.Span);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("time"u8))
                {
                    reader.Read();
                    time = reader.GetDateTimeOffset();
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
            throw new FormatException($"A mailbox message is malformed: {ex.Message}", ex);
        }

        return time is { } t && data is { } d ? (t, d) : throw new FormatException("A mailbox message has no time or data.");
    }
}
