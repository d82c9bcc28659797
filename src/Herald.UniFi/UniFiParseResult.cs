namespace Herald.UniFi;

/// <summary>What <see cref="UniFiFrameParser"/> made of one frame.</summary>
public sealed class UniFiParseResult
{
    private static readonly IReadOnlyDictionary<string, int> NoKeys = new Dictionary<string, int>(0);

    internal UniFiParseResult(
        long frameLength,
        string? messageType,
        UniFiFrameError error,
        string? errorDescription,
        IReadOnlyList<UniFiEvent>? events = null,
        bool isUnknownMessageType = false,
        IReadOnlyDictionary<string, int>? skippedEventKeys = null,
        int skippedWiredClients = 0,
        int invalidEntries = 0)
    {
        FrameLength = frameLength;
        MessageType = messageType;
        Error = error;
        ErrorDescription = errorDescription;
        Events = events ?? [];
        IsUnknownMessageType = isUnknownMessageType;
        SkippedEventKeys = skippedEventKeys ?? NoKeys;
        SkippedWiredClients = skippedWiredClients;
        InvalidEntries = invalidEntries;
    }

    /// <summary>The frame's size in bytes.</summary>
    public long FrameLength { get; }

    /// <summary>The frame's <c>meta.message</c>, when it got that far.</summary>
    public string? MessageType { get; }

    /// <summary>Why the whole frame was skipped, or <see cref="UniFiFrameError.None"/>.</summary>
    public UniFiFrameError Error { get; }

    /// <summary>A description of <see cref="Error"/> for logs; never contains the frame's content.</summary>
    public string? ErrorDescription { get; }

    /// <summary>Whether the frame was read (even if it held no WiFi event).</summary>
    public bool IsValid => Error == UniFiFrameError.None;

    /// <summary>The normalized WiFi events, in the order the frame listed them.</summary>
    public IReadOnlyList<UniFiEvent> Events { get; }

    /// <summary>Whether the frame was skipped because <see cref="MessageType"/> is not one this parser reads.</summary>
    public bool IsUnknownMessageType { get; }

    /// <summary>Entries of an <c>events</c> frame skipped because their <c>key</c> is not a WiFi client event, by key.</summary>
    public IReadOnlyDictionary<string, int> SkippedEventKeys { get; }

    /// <summary><c>sta:sync</c> records skipped because the client is wired (<c>is_wired</c>).</summary>
    public int SkippedWiredClients { get; }

    /// <summary>Entries skipped because they were not objects or lacked a key or client MAC.</summary>
    public int InvalidEntries { get; }
}
