using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Herald.UniFi;

/// <summary>Running totals across frames for metrics. Safe to update and read from any thread.</summary>
public sealed class UniFiParserStatistics
{
    /// <summary>
    /// How many distinct unknown message types are counted by name (about; concurrent first sightings may
    /// overshoot slightly). Later names are counted under <see cref="OtherMessageTypes"/> so a misbehaving
    /// controller cannot grow the table without bound.
    /// </summary>
    public const int MaxTrackedMessageTypes = 100;

    /// <summary>The name unknown message types are counted under once <see cref="MaxTrackedMessageTypes"/> is reached.</summary>
    public const string OtherMessageTypes = "(other)";

    private readonly ConcurrentDictionary<string, StrongBox<long>> _unknownMessageTypes = new(StringComparer.Ordinal);
    private long _frames;
    private long _events;
    private long _invalidFrames;
    private long _oversizedFrames;
    private long _skippedEventKeys;
    private long _skippedWiredClients;
    private long _invalidEntries;

    /// <summary>Frames seen, whatever became of them.</summary>
    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>Normalized events produced.</summary>
    public long Events => Interlocked.Read(ref _events);

    /// <summary>Frames skipped as empty or malformed (not counting <see cref="OversizedFrames"/>).</summary>
    public long InvalidFrames => Interlocked.Read(ref _invalidFrames);

    /// <summary>Frames rejected for exceeding <see cref="UniFiParserOptions.MaxFrameBytes"/>.</summary>
    public long OversizedFrames => Interlocked.Read(ref _oversizedFrames);

    /// <summary><c>events</c> entries skipped because their key is not a WiFi client event.</summary>
    public long SkippedEventKeys => Interlocked.Read(ref _skippedEventKeys);

    /// <summary><c>sta:sync</c> records skipped because the client is wired.</summary>
    public long SkippedWiredClients => Interlocked.Read(ref _skippedWiredClients);

    /// <summary>Entries skipped as malformed inside otherwise valid frames.</summary>
    public long InvalidEntries => Interlocked.Read(ref _invalidEntries);

    /// <summary>Frames of unknown message types skipped, by <c>meta.message</c>; a snapshot.</summary>
    public IReadOnlyDictionary<string, long> UnknownMessageTypes
        => _unknownMessageTypes.ToDictionary(p => p.Key, p => Interlocked.Read(ref p.Value.Value), StringComparer.Ordinal);

    /// <summary>Adds one frame's outcome to the totals.</summary>
    /// <param name="result">The outcome, from <see cref="UniFiFrameParser"/>.</param>
    public void Record(UniFiParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Interlocked.Increment(ref _frames);
        Interlocked.Add(ref _events, result.Events.Count);
        Interlocked.Add(ref _invalidEntries, result.InvalidEntries);
        Interlocked.Add(ref _skippedWiredClients, result.SkippedWiredClients);
        Interlocked.Add(ref _skippedEventKeys, result.SkippedEventKeys.Values.Sum());
        if (result.Error == UniFiFrameError.Oversized)
        {
            Interlocked.Increment(ref _oversizedFrames);
        }
        else if (result.Error != UniFiFrameError.None)
        {
            Interlocked.Increment(ref _invalidFrames);
        }

        if (result.IsUnknownMessageType && result.MessageType is { } type)
        {
            CountUnknown(type);
        }
    }

    private void CountUnknown(string type)
    {
        if (!_unknownMessageTypes.ContainsKey(type) && _unknownMessageTypes.Count >= MaxTrackedMessageTypes)
        {
            type = OtherMessageTypes;
        }

        var counter = _unknownMessageTypes.GetOrAdd(type, static _ => new StrongBox<long>());
        Interlocked.Increment(ref counter.Value);
    }
}
