using System.Buffers;
using System.Text.Json;

namespace Herald.JetStream.Internal;

/// <summary>
/// A session record as a message body in the sessions stream, and the tombstone that deletes it. A tombstone is a
/// message like any other on the record's subject, carrying the record it deleted (so every node's change feed can
/// tell the deletion from a newer record of the same id); the record's revision is the message's stream sequence.
/// </summary>
internal static class SessionRecordJson
{
    public static byte[] Write(SessionRecord record, bool deleted = false)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (deleted)
            {
                writer.WriteBoolean("deleted"u8, true);
                writer.WriteNumber("revision"u8, record.Revision);
            }

            writer.WriteString("id"u8, record.Id);
            if (record.Owner is not null)
            {
                writer.WriteString("owner"u8, record.Owner);
            }

            writer.WriteBase64String("token"u8, record.TokenHash.Span);
            if (!record.PreviousTokenHash.IsEmpty)
            {
                writer.WriteBase64String("previousToken"u8, record.PreviousTokenHash.Span);
            }

            if (record.Attachment is { } attachment)
            {
                writer.WriteStartObject("attachment"u8);
                writer.WriteString("node"u8, attachment.NodeId);
                writer.WriteString("connection"u8, attachment.ConnectionId);
                writer.WriteString("since"u8, attachment.Since);
                writer.WriteEndObject();
            }

            writer.WriteString("createdAt"u8, record.CreatedAt);
            writer.WriteString("awaySince"u8, record.AwaySince);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a record (with <paramref name="revision"/>), or the record a tombstone deleted (with its own revision).</summary>
    /// <exception cref="FormatException">The body is not a session record.</exception>
    public static (SessionRecord Record, bool Deleted) Read(ReadOnlySpan<byte> body, long revision)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            var deleted = root.TryGetProperty("deleted", out var d) && d.GetBoolean();
            SessionAttachment? attachment = null;
            if (root.TryGetProperty("attachment", out var a))
            {
                attachment = new SessionAttachment(a.GetProperty("node").GetString()!, a.GetProperty("connection").GetString()!, a.GetProperty("since").GetDateTimeOffset());
            }

            var record = new SessionRecord
            {
                Id = root.GetProperty("id").GetString()!,
                Owner = root.TryGetProperty("owner", out var owner) ? owner.GetString() : null,
                TokenHash = root.GetProperty("token").GetBytesFromBase64(),
                PreviousTokenHash = root.TryGetProperty("previousToken", out var previous) ? previous.GetBytesFromBase64() : ReadOnlyMemory<byte>.Empty,
                Attachment = attachment,
                CreatedAt = root.GetProperty("createdAt").GetDateTimeOffset(),
                AwaySince = root.GetProperty("awaySince").GetDateTimeOffset(),
                Revision = deleted ? root.GetProperty("revision").GetInt64() : revision,
            };
            return (record, deleted);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new FormatException($"Session record {revision} is malformed: {ex.Message}", ex);
        }
    }
}
