using System.Text.Json;

namespace Herald.UniFi.Internal;

/// <summary>Collects one frame's entries and what was skipped among them.</summary>
internal sealed class EntryReader(string site, DateTimeOffset receivedAt)
{
    private readonly List<UniFiEvent> _events = [];
    private Dictionary<string, int>? _skippedKeys;
    private int _skippedWired;
    private int _invalid;

    public void Add(JsonElement entry, bool isEvents)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            _invalid++;
            return;
        }

        var normalized = isEvents ? FromEvent(entry) : FromClientRecord(entry);
        if (normalized is not null)
        {
            _events.Add(normalized);
        }
    }

    public UniFiParseResult ToResult(long length, string message)
        => new(length, message, UniFiFrameError.None, null, _events, false, _skippedKeys, _skippedWired, _invalid);

    private UniFiEvent? FromEvent(JsonElement entry)
    {
        if (JsonFields.GetString(entry, "key") is not { } key)
        {
            _invalid++;
            return null;
        }

        if (!WifiEventKeys.TryGetType(key, out var type, out var isGuest))
        {
            _skippedKeys ??= new(StringComparer.Ordinal);
            _skippedKeys[key] = _skippedKeys.GetValueOrDefault(key) + 1;
            return null;
        }

        var normalized = EntryNormalizer.FromEvent(entry, type, isGuest, site, receivedAt);
        _invalid += normalized is null ? 1 : 0;
        return normalized;
    }

    private UniFiEvent? FromClientRecord(JsonElement entry)
    {
        // sta:sync lists wired clients too; they are not WiFi activity.
        if (JsonFields.GetBoolean(entry, "is_wired") == true)
        {
            _skippedWired++;
            return null;
        }

        var normalized = EntryNormalizer.FromClientRecord(entry, site, receivedAt);
        _invalid += normalized is null ? 1 : 0;
        return normalized;
    }
}
