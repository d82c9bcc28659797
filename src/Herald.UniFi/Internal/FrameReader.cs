using System.Text.Json;

namespace Herald.UniFi.Internal;

/// <summary>Reads a parsed frame's envelope and dispatches its entries.</summary>
internal static class FrameReader
{
    public static UniFiParseResult Read(JsonElement root, long length, string site, DateTimeOffset receivedAt)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new(length, null, UniFiFrameError.NotAnObject, $"The frame is a JSON {root.ValueKind}, not an object.");
        }

        if (!root.TryGetProperty("meta", out var meta) || meta.ValueKind != JsonValueKind.Object
            || JsonFields.GetString(meta, "message") is not { } message)
        {
            return new(length, null, UniFiFrameError.MissingMeta, "The frame has no meta object with a message.");
        }

        // sta:sync frames carry no rc at all, so only an rc that is present and not "ok" is an error.
        if (meta.TryGetProperty("rc", out var rc) && !(rc.ValueKind == JsonValueKind.String && rc.ValueEquals("ok"u8)))
        {
            var controllerMessage = JsonFields.GetString(meta, "msg");
            return new(length, message, UniFiFrameError.NotOk, $"The controller answered rc={rc.GetRawText()} ({controllerMessage ?? "no msg"}).");
        }

        var isEvents = message == "events";
        if (!isEvents && message != UniFiEventTypes.StaSync)
        {
            return new(length, message, UniFiFrameError.None, null, isUnknownMessageType: true);
        }

        if (!root.TryGetProperty("data", out var data) || data.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object))
        {
            return new(length, message, UniFiFrameError.InvalidData, "The frame's data is missing or neither an array nor an object.");
        }

        var entries = new EntryReader(site, receivedAt);
        if (data.ValueKind == JsonValueKind.Object)
        {
            entries.Add(data, isEvents);
        }
        else
        {
            foreach (var entry in data.EnumerateArray())
            {
                entries.Add(entry, isEvents);
            }
        }

        return entries.ToResult(length, message);
    }
}
