using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Herald.UniFi;

/// <summary>
/// One-line JSON forms of <see cref="UniFiEvent"/> and <see cref="UniFiLogEntry"/>, for Herald payloads and
/// <c>herald unifi replay</c> output. Field names are camelCase and stable; <see langword="null"/> fields are
/// left out.
/// </summary>
/// <remarks>
/// Events: <c>type, time, site, clientMac, apMac, apName, apFrom, apTo, ssid, hostname, radio, radioFrom, radioTo,
/// channel, channelFrom, channelTo, message, guest, raw</c>. Log entries: <c>timestamp, source, level,
/// message, clientMac, data</c>. Times are ISO 8601 UTC. Non-ASCII text and quotes are written unescaped
/// where JSON allows, so lines stay readable; the output is not meant to be embedded in HTML.
/// </remarks>
public static class UniFiJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>Writes <paramref name="e"/> as a JSON object.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="e">The event.</param>
    public static void Write(Utf8JsonWriter writer, UniFiEvent e)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(e);
        writer.WriteStartObject();
        writer.WriteString("type"u8, e.Type);
        writer.WriteString("time"u8, e.Time.UtcDateTime);
        writer.WriteString("site"u8, e.Site);
        writer.WriteString("clientMac"u8, e.ClientMac);
        WriteOptional(writer, "apMac"u8, e.ApMac);
        WriteOptional(writer, "apName"u8, e.ApName);
        WriteOptional(writer, "apFrom"u8, e.ApFrom);
        WriteOptional(writer, "apTo"u8, e.ApTo);
        WriteOptional(writer, "ssid"u8, e.Ssid);
        WriteOptional(writer, "hostname"u8, e.Hostname);
        WriteOptional(writer, "radio"u8, e.Radio);
        WriteOptional(writer, "radioFrom"u8, e.RadioFrom);
        WriteOptional(writer, "radioTo"u8, e.RadioTo);
        WriteOptional(writer, "channel"u8, e.Channel);
        WriteOptional(writer, "channelFrom"u8, e.ChannelFrom);
        WriteOptional(writer, "channelTo"u8, e.ChannelTo);
        WriteOptional(writer, "message"u8, e.Message);
        writer.WriteBoolean("guest"u8, e.IsGuest);
        WriteOptional(writer, "raw"u8, e.Raw);
        writer.WriteEndObject();
    }

    /// <summary>Writes <paramref name="entry"/> as a JSON object.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="entry">The log entry.</param>
    public static void Write(Utf8JsonWriter writer, UniFiLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(entry);
        writer.WriteStartObject();
        writer.WriteString("timestamp"u8, entry.Timestamp.UtcDateTime);
        writer.WriteString("source"u8, entry.Source);
        writer.WriteString("level"u8, entry.Level);
        writer.WriteString("message"u8, entry.Message);
        writer.WriteString("clientMac"u8, entry.ClientMac);
        WriteOptional(writer, "data"u8, entry.Data);
        writer.WriteEndObject();
    }

    /// <summary>The event as UTF-8 JSON on one line, without a line break.</summary>
    /// <param name="e">The event.</param>
    public static byte[] ToUtf8Bytes(UniFiEvent e) => Serialize(w => Write(w, e));

    /// <summary>The log entry as UTF-8 JSON on one line, without a line break.</summary>
    /// <param name="entry">The log entry.</param>
    public static byte[] ToUtf8Bytes(UniFiLogEntry entry) => Serialize(w => Write(w, entry));

    /// <summary>The event as one line of JSON, without a line break.</summary>
    /// <param name="e">The event.</param>
    public static string ToJsonLine(UniFiEvent e) => Encoding.UTF8.GetString(ToUtf8Bytes(e));

    /// <summary>The log entry as one line of JSON, without a line break.</summary>
    /// <param name="entry">The log entry.</param>
    public static string ToJsonLine(UniFiLogEntry entry) => Encoding.UTF8.GetString(ToUtf8Bytes(entry));

    private static byte[] Serialize(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteOptional(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteOptional(Utf8JsonWriter writer, ReadOnlySpan<byte> name, int? value)
    {
        if (value is int n)
        {
            writer.WriteNumber(name, n);
        }
    }

    private static void WriteOptional(Utf8JsonWriter writer, ReadOnlySpan<byte> name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Undefined)
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }
    }
}
