using System.Runtime.InteropServices;
using System.Text.Json;

namespace Herald.Internal.Protocol;

/// <summary>A parsed client-to-server frame. Values are copied out of the JSON so the receive buffer can be reused.</summary>
internal sealed class ClientFrame
{
    public required string Type { get; init; }

    /// <summary>The raw JSON of <c>ref</c>, echoed in the answer; empty when absent.</summary>
    public ReadOnlyMemory<byte> Ref { get; init; }

    public IReadOnlyList<string>? Topics { get; init; }

    public long? Since { get; init; }

    /// <summary>The raw JSON of <c>data</c>; empty when absent.</summary>
    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>The <c>token</c> of an <c>auth</c> frame; null when absent.</summary>
    public string? Token { get; init; }

    /// <summary>The <c>idempotencyKey</c> of a <c>publish</c> frame; null when absent.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Parses a frame, or returns the error message to send back.</summary>
    public static ClientFrame? TryParse(ReadOnlySpan<byte> utf8, out string? error, out ReadOnlyMemory<byte> reference)
    {
        reference = default;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8.ToArray());
        }
        catch (JsonException)
        {
            error = "Invalid message format: not valid JSON.";
            return null;
        }

        using (document)
        {
            try
            {
                return Read(document.RootElement, out error, ref reference);
            }
            catch (InvalidOperationException)
            {
                // An escaped lone surrogate ("\ud800") is valid JSON but not text, nor are bytes that are not UTF-8 (which
                // the WebSocket refuses before they get here): reading a string or a property name holding one throws.
                // That is a bad frame, answered like any other.
                error = "Invalid message format: the frame is not text: a string holds a lone surrogate escape (such as \\ud800) or bytes that are not UTF-8.";
                return null;
            }
        }
    }

    private static ClientFrame? Read(JsonElement root, out string? error, ref ReadOnlyMemory<byte> reference)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = "Invalid message format: a frame must be a JSON object.";
            return null;
        }

        if (root.TryGetProperty("ref", out var refElement))
        {
            reference = Raw(refElement);
        }

        if (!root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            error = "Invalid message format: a frame needs a string 'type'.";
            return null;
        }

        IReadOnlyList<string>? topics = null;
        if (root.TryGetProperty("topics", out var topicsElement))
        {
            topics = ReadTopics(topicsElement, out error);
            if (topics is null)
            {
                return null;
            }
        }

        long? since = null;
        if (root.TryGetProperty("since", out var sinceElement))
        {
            if (sinceElement.ValueKind != JsonValueKind.Number || !sinceElement.TryGetInt64(out var value) || value < 0)
            {
                error = "Invalid message format: 'since' must be a non-negative integer event id.";
                return null;
            }

            since = value;
        }

        if (!TryReadOptionalString(root, "token", out var token, out error)
            || !TryReadOptionalString(root, "idempotencyKey", out var idempotencyKey, out error))
        {
            return null;
        }

        error = null;
        return new ClientFrame
        {
            Token = token,
            IdempotencyKey = idempotencyKey,
            Type = typeElement.GetString()!,
            Ref = reference,
            Topics = topics,
            Since = since,
            Data = root.TryGetProperty("data", out var data) ? Raw(data) : default,
        };
    }

    /// <summary>
    /// The raw JSON of a frame's top-level <c>ref</c>, found without building a document (for a frame that is refused
    /// unread); empty when it has none or is not a JSON object. The result is a slice of <paramref name="utf8"/>.
    /// </summary>
    public static ReadOnlyMemory<byte> FindRef(ReadOnlyMemory<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8.Span);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return default;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isRef = reader.ValueTextEquals("ref"u8);
                if (!reader.Read())
                {
                    return default;
                }

                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                if (isRef)
                {
                    return utf8[start..(int)reader.BytesConsumed];
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Broken JSON, or a property name that is not text: the answer goes without a ref.
        }

        return default;
    }

    private static List<string>? ReadTopics(JsonElement element, out string? error)
    {
        error = null;
        var topics = new List<string>();
        if (element.ValueKind == JsonValueKind.String)
        {
            topics.AddRange(element.GetString()!.Split(','));
            return topics;
        }

        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    error = "Invalid message format: 'topics' must be an array of strings.";
                    return null;
                }

                topics.Add(item.GetString()!);
            }

            return topics;
        }

        error = "Invalid message format: 'topics' must be an array of strings.";
        return null;
    }

    private static byte[] Raw(JsonElement element) => JsonMarshal.GetRawUtf8Value(element).ToArray();

    /// <summary>Reads an optional string property: null when absent; false, with the error to send, when it is not a string.</summary>
    private static bool TryReadOptionalString(JsonElement root, string name, out string? value, out string? error)
    {
        value = null;
        error = null;
        if (!root.TryGetProperty(name, out var element))
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            error = $"Invalid message format: '{name}' must be a string.";
            return false;
        }

        value = element.GetString();
        return true;
    }
}
