namespace Herald.UniFi;

/// <summary>Running totals of one <see cref="UniFiSource"/>, for metrics and health checks. Safe to read from any thread.</summary>
public sealed class UniFiSourceStatistics
{
    private readonly Lock _lock = new();
    private long _connections;
    private long _reconnects;
    private long _logins;
    private long _sinkFailures;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private DateTimeOffset? _connectedSince;

    /// <summary>What the frame parser made of the frames received (frames, events, invalid, oversized, unknown types).</summary>
    public UniFiParserStatistics Parser { get; } = new();

    /// <summary>WebSocket connections opened.</summary>
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>Back-off waits started after a failure or a dropped connection.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Successful logins, the first included.</summary>
    public long Logins => Interlocked.Read(ref _logins);

    /// <summary>Batches of events the sink threw on (the events of such a batch are lost).</summary>
    public long SinkFailures => Interlocked.Read(ref _sinkFailures);

    /// <summary>The most recent failure's description (never containing credentials), or <see langword="null"/>.</summary>
    public string? LastError
    {
        get
        {
            lock (_lock)
            {
                return _lastError;
            }
        }
    }

    /// <summary>When <see cref="LastError"/> happened, or <see langword="null"/>.</summary>
    public DateTimeOffset? LastErrorAt
    {
        get
        {
            lock (_lock)
            {
                return _lastErrorAt;
            }
        }
    }

    /// <summary>When the current WebSocket connection opened, or <see langword="null"/> while not connected.</summary>
    public DateTimeOffset? ConnectedSince
    {
        get
        {
            lock (_lock)
            {
                return _connectedSince;
            }
        }
    }

    internal void RecordLogin() => Interlocked.Increment(ref _logins);

    internal void RecordReconnect() => Interlocked.Increment(ref _reconnects);

    internal void RecordSinkFailure() => Interlocked.Increment(ref _sinkFailures);

    internal void RecordConnected(DateTimeOffset at)
    {
        Interlocked.Increment(ref _connections);
        lock (_lock)
        {
            _connectedSince = at;
        }
    }

    internal void RecordDisconnected()
    {
        lock (_lock)
        {
            _connectedSince = null;
        }
    }

    internal void RecordError(string description, DateTimeOffset at)
    {
        lock (_lock)
        {
            _lastError = description;
            _lastErrorAt = at;
        }
    }
}
