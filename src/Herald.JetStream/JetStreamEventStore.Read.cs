using Herald.JetStream.Internal;
using NATS.Client.JetStream;

namespace Herald.JetStream;

public sealed partial class JetStreamEventStore
{
    /// <inheritdoc />
    /// <remarks>
    /// Answered as of this node's view of the stream (what its tail has followed, usually within a millisecond of the
    /// stream): from the cache when it covers the range, otherwise through a consumer on the stream. A query that maps
    /// to one subject (an exact topic, or a pattern without a final <c>#</c>) is filtered by the server; others are read
    /// whole and filtered here, since a consumer on nats-server 2.9 takes one filter subject (2.10 takes several).
    /// </remarks>
    public async ValueTask<EventPage> ReadAsync(EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ThrowIfNotReady();
        var caughtUp = await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var followed = FollowedThrough;
        if (caughtUp && _cache.TryRead(query, followed) is { } cached)
        {
            return cached;
        }

        if (query.AfterId >= long.MaxValue - 1)
        {
            return new EventPage([], query.AfterId, ReachedEnd: true);
        }

        var subjects = query.Filters.Count == 0 || query.Filters.Any(f => f.Pattern == "#")
            ? [NatsSubjects.AllEvents(_prefix)]
            : query.Filters.SelectMany(f => NatsSubjects.EventFilter(_prefix, f)).Distinct().ToList();
        var serverFiltered = subjects.Count == 1;
        var filter = serverFiltered ? subjects[0] : NatsSubjects.AllEvents(_prefix);

        List<INatsJSMsg<byte[]>> messages;
        ulong pending;
        try
        {
            (messages, pending) = await _reader.FetchAsync(filter, ReadStart.At((ulong)query.AfterId + 1), query.Limit, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (NatsFailure.IsUnavailable(ex, cancellationToken))
        {
            throw Unavailable("read events", ex);
        }

        var events = new List<HeraldEvent>(messages.Count);
        var scanned = query.AfterId;
        foreach (var message in messages)
        {
            scanned = (long)message.Metadata!.Value.Sequence.Stream;
            // History reads carry no StoredAt: it is the feed's, for latency.
            if (Decode(message, stamped: false) is { } e && (serverFiltered || query.Matches(e.Topic)))
            {
                events.Add(e);
            }
        }

        // Nothing matched after the last message up to what this node had followed when the read began.
        var reachedEnd = pending == 0;
        return new EventPage(events, reachedEnd ? Math.Max(scanned, followed) : scanned, reachedEnd);
    }
}
