using Herald.Internal.Dispatch;

namespace Herald.Internal.Connections;

/// <summary>
/// The bookkeeping of one replay: which events the stored range must supply, and the live events the
/// dispatcher buffered meanwhile (bounded; on overflow the replay reads them from the store instead).
/// All members are used under the connection's lock, except the immutable ones.
/// </summary>
internal sealed class ReplayState(long since, long liveBefore, TopicFilter[] oldFilters, IReadOnlyList<TopicFilter> newFilters, int capacity)
{
    private List<EventFrame> _buffered = [];

    public long Since { get; } = since;

    /// <summary>The last event id already delivered live before the replay began.</summary>
    public long LiveBefore { get; } = liveBefore;

    public TopicFilter[] OldFilters { get; } = oldFilters;

    public IReadOnlyList<TopicFilter> NewFilters { get; } = newFilters;

    public bool Overflowed { get; private set; }

    public void Buffer(EventFrame e)
    {
        if (Overflowed)
        {
            return;
        }

        if (_buffered.Count >= capacity)
        {
            Overflowed = true;
            _buffered = [];
            return;
        }

        _buffered.Add(e);
    }

    public void Reset() => Overflowed = false;

    /// <summary>Takes the buffered events newer than <paramref name="afterId"/>; the rest were replayed already.</summary>
    public List<EventFrame> TakeBuffered(long afterId)
    {
        var taken = _buffered.FindAll(b => b.Id > afterId);
        _buffered = [];
        return taken;
    }

    /// <summary>
    /// Whether a stored event belongs in the replay: anything after <see cref="LiveBefore"/>, and for the
    /// new patterns also older events the old patterns did not already deliver live.
    /// </summary>
    public bool ShouldReplay(HeraldEvent e)
    {
        var matchesOld = Matches(OldFilters, e.Topic);
        if (e.Id > LiveBefore)
        {
            return true;
        }

        return !matchesOld && Matches(NewFilters, e.Topic);
    }

    private static bool Matches(IReadOnlyList<TopicFilter> filters, string topic)
    {
        foreach (var filter in filters)
        {
            if (filter.Matches(topic))
            {
                return true;
            }
        }

        return false;
    }
}
