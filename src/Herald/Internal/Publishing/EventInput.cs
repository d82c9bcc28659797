using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;
using Herald.Internal.Protocol;

namespace Herald.Internal.Publishing;

/// <summary>
/// Reads events to publish from JSON, as sent to <c>POST /api/events</c> and in <c>publish</c> frames:
/// one object <c>{"topic","type","data","time"?,"source"?}</c> or an array of them. Every field is bounded
/// (<see cref="HeraldOptions.MaxEventSize"/>, <see cref="HeraldOptions.MaxEventTypeLength"/>,
/// <see cref="HeraldOptions.MaxEventSourceLength"/>, <see cref="HeraldOptions.MaxEventsPerRequest"/>) and must be
/// valid Unicode: invalid UTF-8 or a lone surrogate escape such as <c>"\ud800"</c> is refused, never stored, so no
/// subscriber is handed an event its JSON reader cannot read.
/// </summary>
internal static class EventInput
{
    public static bool TryParseMany(ReadOnlyMemory<byte> utf8, HeraldOptions options, TimeProvider time, [NotNullWhen(true)] out List<NewEvent>? events, [NotNullWhen(false)] out string? error)
    {
        error = Parse(utf8, options, time, out events)?.Detail;
        return error is null;
    }

    /// <summary>Reads the events in <paramref name="utf8"/>, or says why not (400, or 413 for what is too large).</summary>
    public static EventInputError? Parse(ReadOnlyMemory<byte> utf8, HeraldOptions options, TimeProvider time, out List<NewEvent>? events)
    {
        events = null;
        if (utf8.IsEmpty)
        {
            return new(400, "The body must be an event object or an array of event objects.");
        }

        if (!Utf8.IsValid(utf8.Span))
        {
            return new(400, "The body is not valid UTF-8.");
        }

        try
        {
            using var document = JsonDocument.Parse(utf8);
            return Parse(document.RootElement, options, time, out events);
        }
        catch (JsonException ex)
        {
            return new(400, $"The body is not valid JSON: {ex.Message}");
        }
        catch (InvalidOperationException)
        {
            // Valid JSON whose text is not: a property name holding a lone surrogate escape, which looking it up unescapes.
            return new(400, "The body holds a name that is not valid text (a lone surrogate escape such as \\ud800).");
        }
    }

    private static EventInputError? Parse(JsonElement root, HeraldOptions options, TimeProvider time, out List<NewEvent>? events)
    {
        events = null;
        if (root.ValueKind == JsonValueKind.Object)
        {
            if (ParseOne(root, options, time, out var single, index: null) is { } error)
            {
                return error;
            }

            events = [single!];
            return null;
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            return new(400, "The body must be an event object or an array of event objects.");
        }

        var count = root.GetArrayLength();
        if (count == 0)
        {
            return new(400, $"An array must hold between 1 and {options.MaxEventsPerRequest} events; it is empty.");
        }

        if (count > options.MaxEventsPerRequest)
        {
            return new(413, $"An array must hold between 1 and {options.MaxEventsPerRequest} events (Herald:MaxEventsPerRequest); it holds {count}.");
        }

        var list = new List<NewEvent>(count);
        var i = 0;
        foreach (var item in root.EnumerateArray())
        {
            if (ParseOne(item, options, time, out var e, i++) is { } error)
            {
                return error;
            }

            list.Add(e!);
        }

        events = list;
        return null;
    }

    private static EventInputError? ParseOne(JsonElement item, HeraldOptions options, TimeProvider time, out NewEvent? e, int? index)
    {
        e = null;
        var at = index is { } i ? $"Event [{i}]: " : string.Empty;
        if (item.ValueKind != JsonValueKind.Object)
        {
            return new(400, $"{at}an event must be a JSON object.");
        }

        if (!TryReadText(item, "topic", out var topic))
        {
            return NotUnicode(at, "topic");
        }

        if (topic is null)
        {
            return new(400, $"{at}'topic' is required and must be a string.");
        }

        if (!TopicName.IsValid(topic, out var invalidTopic))
        {
            return new(400, at + invalidTopic);
        }

        if (!TryReadText(item, "type", out var type))
        {
            return NotUnicode(at, "type");
        }

        if (string.IsNullOrWhiteSpace(type))
        {
            return new(400, $"{at}'type' is required and must be a non-empty string.");
        }

        if (type.Length > options.MaxEventTypeLength)
        {
            return new(400, $"{at}'type' is {type.Length} characters; the most is {options.MaxEventTypeLength} (Herald:MaxEventTypeLength).");
        }

        DateTimeOffset? when = null;
        if (item.TryGetProperty("time", out var timeElement) && timeElement.ValueKind != JsonValueKind.Null)
        {
            if (timeElement.ValueKind != JsonValueKind.String || !timeElement.TryGetDateTimeOffset(out var parsed))
            {
                return new(400, $"{at}'time' must be an ISO-8601 timestamp such as 2026-01-25T03:54:30.123Z.");
            }

            when = parsed.ToUniversalTime();
        }

        if (!TryReadText(item, "source", out var source))
        {
            return NotUnicode(at, "source");
        }

        if (source is null && item.TryGetProperty("source", out var sourceElement) && sourceElement.ValueKind != JsonValueKind.Null)
        {
            return new(400, $"{at}'source' must be a string.");
        }

        if (source?.Length > options.MaxEventSourceLength)
        {
            return new(400, $"{at}'source' is {source.Length} characters; the most is {options.MaxEventSourceLength} (Herald:MaxEventSourceLength).");
        }

        var data = item.TryGetProperty("data", out var dataElement) ? JsonMarshal.GetRawUtf8Value(dataElement) : EventJson.Null.Span;
        if (data.Length > options.MaxEventSize)
        {
            return new(413, $"{at}'data' is {data.Length} bytes; the most is {options.MaxEventSize} (Herald:MaxEventSize).");
        }

        if (!IsValidText(data))
        {
            return NotUnicode(at, "data");
        }

        e = new NewEvent(topic, type, data.ToArray(), validateData: false) { Time = when ?? time.GetUtcNow(), Source = source };
        return null;
    }

    /// <summary>
    /// Reads the string property <paramref name="name"/> (null when absent or not a string); false when it is a string
    /// that is not valid Unicode, which <see cref="JsonElement.GetString"/> refuses to read.
    /// </summary>
    private static bool TryReadText(JsonElement item, string name, out string? value)
    {
        value = null;
        if (!item.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.String)
        {
            return true;
        }

        try
        {
            value = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static EventInputError NotUnicode(string at, string name)
        => new(400, $"{at}'{name}' holds text that is not valid Unicode (a lone surrogate escape such as \\ud800, or invalid UTF-8).");

    /// <summary>
    /// Whether every string (and property name) in the JSON value <paramref name="json"/> unescapes to valid Unicode. The
    /// bytes are known to be valid UTF-8, so only <c>\u</c> escapes can be wrong; values without one are not walked.
    /// </summary>
    public static bool IsValidText(ReadOnlySpan<byte> json)
    {
        if (json.IndexOf("\\u"u8) < 0)
        {
            return true;
        }

        var reader = new Utf8JsonReader(json);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    _ = reader.GetString();
                }
            }

            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
