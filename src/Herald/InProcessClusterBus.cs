using System.Runtime.CompilerServices;
using Herald.Internal.Storage;

namespace Herald;

/// <summary>
/// A cluster bus inside one process: every subscriber gets every message. A lone hub uses it to talk to itself;
/// several hubs in one process that share one instance behave as the nodes of a cluster do. A subscriber that
/// falls more than 4,096 messages behind misses the rest of the backlog, as a node cut off from a real bus would.
/// </summary>
public sealed class InProcessClusterBus : IClusterBus
{
    private const int BufferCapacity = 4096;

    private readonly Lock _lock = new();
    private readonly List<LaggingBuffer<ClusterMessage>> _subscribers = [];
    private bool _disposed;

    /// <inheritdoc />
    public ValueTask InitializeAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask PublishAsync(ClusterMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_lock)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Offer(message);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ClusterMessage> SubscribeAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (Attach() is { } subscriber)
        {
            try
            {
                var reader = subscriber.Reader;
                while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (reader.TryRead(out var message))
                    {
                        yield return message;
                    }
                }

                if (!subscriber.Overflowed)
                {
                    yield break;
                }
            }
            finally
            {
                lock (_lock)
                {
                    _subscribers.Remove(subscriber);
                }
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>Ends every subscription.</remarks>
    public ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _disposed = true;
            foreach (var subscriber in _subscribers)
            {
                subscriber.End();
            }
        }

        return ValueTask.CompletedTask;
    }

    private LaggingBuffer<ClusterMessage>? Attach()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return null;
            }

            var subscriber = new LaggingBuffer<ClusterMessage>(BufferCapacity);
            _subscribers.Add(subscriber);
            return subscriber;
        }
    }
}
