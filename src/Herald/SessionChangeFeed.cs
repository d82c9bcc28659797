using System.Runtime.CompilerServices;
using Herald.Internal.Storage;

namespace Herald;

/// <summary>
/// The change feed of a session store that lives in one process (<see cref="ISessionStore.WatchAsync"/>): the store
/// calls <see cref="Publish"/> after each write, and every watcher receives the changes in order. A watcher that
/// falls behind never slows the store: it is told <see cref="SessionChangeKind.Reset"/> instead of what it missed.
/// </summary>
public sealed class SessionChangeFeed
{
    private readonly int _bufferCapacity;
    private readonly Lock _lock = new();
    private readonly List<LaggingBuffer<SessionChange>> _watchers = [];
    private bool _completed;

    /// <summary>Creates a feed.</summary>
    /// <param name="bufferCapacity">Changes buffered per watcher before it is reset. Default 4,096.</param>
    public SessionChangeFeed(int bufferCapacity = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bufferCapacity);
        _bufferCapacity = bufferCapacity;
    }

    /// <summary>Reports a change to every watcher. Call it after the change took effect, in the order changes happen for each session. Never blocks.</summary>
    /// <param name="change">The change.</param>
    public void Publish(SessionChange change)
    {
        lock (_lock)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Offer(change);
            }
        }
    }

    /// <summary>Ends every watch once it has yielded what it holds. Call it when the store is disposed.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
            foreach (var watcher in _watchers)
            {
                watcher.End();
            }
        }
    }

    /// <summary>Every change published from now on; see <see cref="ISessionStore.WatchAsync"/>.</summary>
    /// <param name="cancellationToken">Ends the enumeration with <see cref="OperationCanceledException"/>.</param>
    public async IAsyncEnumerable<SessionChange> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var watcher = Attach();
        try
        {
            while (watcher is not null)
            {
                var reader = watcher.Reader;
                while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (reader.TryRead(out var change))
                    {
                        yield return change;
                    }
                }

                if (!watcher.Overflowed)
                {
                    yield break;
                }

                // Listen again before saying what was missed, so nothing published after the reset is lost either.
                Detach(watcher);
                watcher = Attach();
                if (watcher is not null)
                {
                    yield return new SessionChange(SessionChangeKind.Reset, string.Empty);
                }
            }
        }
        finally
        {
            if (watcher is not null)
            {
                Detach(watcher);
            }
        }
    }

    private LaggingBuffer<SessionChange>? Attach()
    {
        lock (_lock)
        {
            if (_completed)
            {
                return null;
            }

            var watcher = new LaggingBuffer<SessionChange>(_bufferCapacity);
            _watchers.Add(watcher);
            return watcher;
        }
    }

    private void Detach(LaggingBuffer<SessionChange> watcher)
    {
        lock (_lock)
        {
            _watchers.Remove(watcher);
        }
    }
}
