using Herald.Benchmarks.Shared;

namespace Herald.Benchmarks.Load;

/// <summary>
/// One subscriber connection of a load worker; its socket is driven by the <see cref="EventLoop"/> thread, which alone
/// changes it. The control thread only reads <see cref="LastSeq"/>, <see cref="State"/> and <see cref="LiveAt"/>.
/// </summary>
internal sealed class Subscriber(EventLoop loop, int slot, string topic)
{
    private long _lastSeq = -1;

    /// <summary>Its position in the loop's list, which epoll events name.</summary>
    public int Slot { get; } = slot;

    public string Topic { get; } = topic;

    public int Fd { get; set; } = -1;

    /// <summary>Bumped with every new socket, so that a stale epoll event or timer for the old one is ignored.</summary>
    public int Generation { get; set; }

    public volatile SubscriberState State;

    /// <summary>Which of the worker's server URLs this subscriber uses (failover moves to the next).</summary>
    public int UrlIndex { get; set; }

    /// <summary>Herald's <c>since</c> for the next connection; null connects live only.</summary>
    public long? Since { get; set; }

    /// <summary>True while the current connection replays (asked with <c>since</c>) and is not yet live.</summary>
    public bool Resuming { get; set; }

    /// <summary>Whether the current connection was opened to replace a lost or deliberately dropped one.</summary>
    public bool Reconnecting { get; set; }

    /// <summary>Whether it was ever welcomed (a later loss is a drop, not a failed connect).</summary>
    public bool EverReady { get; set; }

    /// <summary>Set when the worker closes the socket on purpose, so the close is not counted as a drop.</summary>
    public bool Deliberate { get; set; }

    public long LastEventId { get; set; }

    public long LastSeq => Volatile.Read(ref _lastSeq);

    /// <summary>Stopwatch timestamp when the current connection went live (0 before).</summary>
    public long LiveAt;

    public long ConnectStartedAt { get; set; }

    public int DropsLeft { get; set; }

    public SeqTracker? Tracker { get; set; }

    /// <summary>Bytes of an incomplete frame left by the previous read.</summary>
    public ByteBuffer Carry { get; } = new();

    /// <summary>A fragmented message being put together.</summary>
    public ByteBuffer? Fragments { get; set; }

    /// <summary>A protocol's byte stream across messages (NATS records may span WebSocket messages).</summary>
    public ByteBuffer Stream => _stream ??= new ByteBuffer();

    private ByteBuffer? _stream;

    /// <summary>Bytes the socket did not take yet.</summary>
    public ByteBuffer? Outgoing { get; set; }

    public void Send(ReadOnlySpan<byte> frame) => loop.Send(this, frame);

    public void OnWelcome(long now, bool liveNow)
    {
        if (State != SubscriberState.Open)
        {
            return;
        }
        State = SubscriberState.Ready;
        EverReady = true;
        loop.OnReady(this);
        if (liveNow)
        {
            OnLive(now);
        }
    }

    public void OnLive(long now)
    {
        Resuming = false;
        Volatile.Write(ref LiveAt, now);
        loop.OnLive(this, now);
    }

    /// <summary>An event frame or record: its payload carries seq and ts; <paramref name="id"/> is Herald's event id (0 elsewhere).</summary>
    public void OnEvent(ReadOnlySpan<byte> frame, long now, long id)
    {
        if (!Payload.TryRead(frame, out var seq, out var timestamp))
        {
            return;
        }
        if (id > 0)
        {
            LastEventId = id;
        }
        var stats = loop.Stats;
        stats.OnEvent((long)Payload.ElapsedMicros(timestamp, now));
        var last = _lastSeq;
        if (Tracker is { } tracker && !tracker.Mark(seq))
        {
            stats.OnDuplicate();
            return;
        }
        if (Tracker is null && seq == last)
        {
            stats.OnDuplicate();
            return;
        }
        if (seq < last)
        {
            stats.OnOutOfOrder();
            return;
        }
        Volatile.Write(ref _lastSeq, seq);
    }

    /// <summary>Starts counting again from a new range (a resume storm replays what the subscriber had already).</summary>
    public void ResetTracking(long from, int size)
    {
        Tracker = size > 0 ? new SeqTracker(from, size) : null;
        Volatile.Write(ref _lastSeq, from - 1);
    }

    public void ClearBuffers()
    {
        Carry.Clear();
        Fragments?.Clear();
        _stream?.Clear();
        Outgoing?.Clear();
    }
}
