using System.Runtime.CompilerServices;
using Herald.Internal.Storage;

namespace Herald;

/// <summary>
/// The follow feed of a log that lives in one process (<see cref="IEventStore.FollowAsync"/>): the store calls
/// <see cref="Publish"/> after each commit, and each follower first reads what is already stored, then takes the
/// committed batches as they come, with no gap and no duplicate. A follower that falls behind never slows the
/// writer: its buffer is dropped and it reads on from the store until it has caught up, then takes batches again.
/// </summary>
/// <remarks>
/// Used by <see cref="InMemoryEventStore"/> and the SQLite store, so on one node an event reaches the dispatcher
/// with one channel write per committed batch, as a store with no feed at all would hand it over.
/// </remarks>
public sealed class EventFeed
{
    /// <summary>Events read from the store per page while a follower catches up.</summary>
    private const int CatchUpPageSize = 500;

    private readonly Func<EventQuery, CancellationToken, ValueTask<EventPage>> _read;
    private readonly int _bufferCapacity;
    private readonly Lock _lock = new();
    private readonly List<LaggingBuffer<IReadOnlyList<HeraldEvent>>> _followers = [];
    private long _publishedThrough;
    private bool _completed;
    private Exception? _failure;

    /// <summary>Creates a feed over a store's reads.</summary>
    /// <param name="read">Reads committed events from the store (the store's <see cref="IEventStore.ReadAsync"/>).</param>
    /// <param name="bufferCapacity">Committed batches buffered per follower before it falls back to reading the store. Default 64.</param>
    public EventFeed(Func<EventQuery, CancellationToken, ValueTask<EventPage>> read, int bufferCapacity = 64)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bufferCapacity);
        _read = read;
        _bufferCapacity = bufferCapacity;
    }

    /// <summary>
    /// Hands a committed batch to every follower. Call it after every commit, in commit order (inside the
    /// writer's lock), and never for events that were not committed. Never blocks.
    /// </summary>
    /// <param name="committed">The events the commit stored, in id order.</param>
    public void Publish(IReadOnlyList<HeraldEvent> committed)
    {
        ArgumentNullException.ThrowIfNull(committed);
        if (committed.Count == 0)
        {
            return;
        }

        lock (_lock)
        {
            _publishedThrough = Math.Max(_publishedThrough, committed[^1].Id);
            foreach (var follower in _followers)
            {
                follower.Offer(committed);
            }
        }
    }

    /// <summary>Ends every follow: enumerations finish once they have yielded what they hold. Call it when the store is disposed.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
            foreach (var follower in _followers)
            {
                follower.End();
            }
        }
    }

    /// <summary>
    /// Ends every follow with <paramref name="error"/>: each enumeration throws it once it has yielded what it holds,
    /// and so does every later <see cref="FollowAsync"/>. A shared log calls it when the log it follows was replaced
    /// (a stream created anew starts its ids over), so followers follow again from a position that still means something.
    /// </summary>
    /// <param name="error">What the followers throw, usually an <see cref="EventStoreUnavailableException"/>.</param>
    public void Fail(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        lock (_lock)
        {
            _completed = true;
            _failure = error;
            foreach (var follower in _followers)
            {
                follower.End(error);
            }
        }
    }

    /// <summary>Every committed event after <paramref name="afterId"/>, in id order; see <see cref="IEventStore.FollowAsync"/>.</summary>
    /// <param name="afterId">Yield events with a greater id.</param>
    /// <param name="cancellationToken">Ends the enumeration with <see cref="OperationCanceledException"/>.</param>
    public async IAsyncEnumerable<HeraldEvent> FollowAsync(long afterId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cursor = afterId;
        while (true)
        {
            // Batches committed from here on go to the buffer; what came before is read from the store.
            var follower = new LaggingBuffer<IReadOnlyList<HeraldEvent>>(_bufferCapacity);
            long liveFrom;
            lock (_lock)
            {
                if (_failure is not null)
                {
                    throw _failure;
                }

                if (_completed)
                {
                    yield break;
                }

                liveFrom = _publishedThrough;
                _followers.Add(follower);
            }

            try
            {
                while (cursor < liveFrom)
                {
                    var page = await _read(new EventQuery(cursor, CatchUpPageSize, []), cancellationToken).ConfigureAwait(false);
                    foreach (var e in page.Events)
                    {
                        if (e.Id > cursor)
                        {
                            cursor = e.Id;
                            yield return e;
                        }
                    }

                    cursor = Math.Max(cursor, page.ScannedThroughId);
                    if (page.ReachedEnd)
                    {
                        break;
                    }
                }

                var reader = follower.Reader;
                while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (reader.TryRead(out var batch))
                    {
                        foreach (var e in batch)
                        {
                            // The catch-up read may already have seen the first batches.
                            if (e.Id > cursor)
                            {
                                cursor = e.Id;
                                yield return e;
                            }
                        }
                    }
                }

                if (!follower.Overflowed)
                {
                    yield break;
                }
            }
            finally
            {
                lock (_lock)
                {
                    _followers.Remove(follower);
                }
            }
        }
    }
}
