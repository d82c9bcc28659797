using System.Buffers;
using System.Text.Json;

namespace Herald.Internal.Protocol;

/// <summary>Writes and checks the JSON forms of events.</summary>
internal static class EventJson
{
    public static readonly ReadOnlyMemory<byte> Null = "null"u8.ToArray();

    public static bool IsSingleValue(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read())
            {
                return false;
            }

            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static byte[] Write(HeraldEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>(128 + e.Data.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteObject(writer, e);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteObject(Utf8JsonWriter writer, HeraldEvent e)
    {
        writer.WriteStartObject();
        writer.WriteNumber("id"u8, e.Id);
        writer.WriteString("topic"u8, e.Topic);
        writer.WriteString("type"u8, e.Type);
        writer.WriteString("time"u8, e.Time.UtcDateTime);
        if (e.Source is not null)
        {
            writer.WriteString("source"u8, e.Source);
        }

        writer.WritePropertyName("data"u8);
        writer.WriteRawValue(e.Data.Span, skipInputValidation: true);
        writer.WriteEndObject();
    }
}
