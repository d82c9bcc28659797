using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text.Json;
using Herald.Internal.Protocol;

namespace Herald.Internal.Publishing;

/// <summary>
/// Reads events to publish from JSON, as sent to <c>POST /api/events</c> and in <c>publish</c> frames:
/// one object <c>{"topic","type","data","time"?,"source"?}</c> or an array of them.
/// </summary>
internal static class EventInput
{
    /// <summary>The most events accepted in one request or frame.</summary>
    public const int MaxEventsPerRequest = 10_000;

    public static bool TryParseMany(ReadOnlyMemory<byte> utf8, TimeProvider time, [NotNullWhen(true)] out List<NewEvent>? events, [NotNullWhen(false)] out string? error)
    {
        events = null;
        if (utf8.IsEmpty)
        {
            error = "The body must be an event object or an array of event objects.";
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(utf8);
            return TryParseMany(document.RootElement, time, out events, out error);
        }
        catch (JsonException ex)
        {
            error = $"The body is not valid JSON: {ex.Message}";
            return false;
        }
    }

    public static bool TryParseMany(JsonElement root, TimeProvider time, [NotNullWhen(true)] out List<NewEvent>? events, [NotNullWhen(false)] out string? error)
    {
        events = null;
        if (root.ValueKind == JsonValueKind.Object)
        {
            if (!TryParseOne(root, time, out var single, out error, index: null))
            {
                return false;
            }

            events = [single];
            return true;
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            error = "The body must be an event object or an array of event objects.";
            return false;
        }

        var count = root.GetArrayLength();
        if (count == 0 || count > MaxEventsPerRequest)
        {
            error = $"An array must hold between 1 and {MaxEventsPerRequest} events; it holds {count}.";
            return false;
        }

        var list = new List<NewEvent>(count);
        var i = 0;
        foreach (var item in root.EnumerateArray())
        {
            if (!TryParseOne(item, time, out var e, out error, i++))
            {
                return false;
            }

            list.Add(e);
        }

        events = list;
        error = null;
        return true;
    }

    private static bool TryParseOne(JsonElement item, TimeProvider time, [NotNullWhen(true)] out NewEvent? e, [NotNullWhen(false)] out string? error, int? index)
    {
        e = null;
        var at = index is { } i ? $"Event [{i}]: " : string.Empty;
        if (item.ValueKind != JsonValueKind.Object)
        {
            error = $"{at}an event must be a JSON object.";
            return false;
        }

        if (!TryGetString(item, "topic", out var topic))
        {
            error = $"{at}'topic' is required and must be a string.";
            return false;
        }

        if (!TopicName.IsValid(topic, out var topicError))
        {
            error = at + topicError;
            return false;
        }

        if (!TryGetString(item, "type", out var type) || string.IsNullOrWhiteSpace(type))
        {
            error = $"{at}'type' is required and must be a non-empty string.";
            return false;
        }

        DateTimeOffset? when = null;
        if (item.TryGetProperty("time", out var timeElement) && timeElement.ValueKind != JsonValueKind.Null)
        {
            if (timeElement.ValueKind != JsonValueKind.String || !timeElement.TryGetDateTimeOffset(out var parsed))
            {
                error = $"{at}'time' must be an ISO-8601 timestamp such as 2026-01-25T03:54:30.123Z.";
                return false;
            }

            when = parsed.ToUniversalTime();
        }

        string? source = null;
        if (item.TryGetProperty("source", out var sourceElement) && sourceElement.ValueKind != JsonValueKind.Null)
        {
            if (sourceElement.ValueKind != JsonValueKind.String)
            {
                error = $"{at}'source' must be a string.";
                return false;
            }

            source = sourceElement.GetString();
        }

        var data = item.TryGetProperty("data", out var dataElement)
            ? JsonMarshal.GetRawUtf8Value(dataElement).ToArray()
            : EventJson.Null;
        e = new NewEvent(topic, type, data, validateData: false) { Time = when ?? time.GetUtcNow(), Source = source };
        error = null;
        return true;
    }

    private static bool TryGetString(JsonElement item, string name, [NotNullWhen(true)] out string? value)
    {
        value = item.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        return value is not null;
    }
}
