using System.Security.Cryptography;

namespace Herald;

/// <summary>
/// Keeps queued session messages in process memory. The resume-token key is random per process, so
/// tokens do not survive a restart (nor do the messages).
/// </summary>
public sealed class InMemorySessionStore : ISessionStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Queue<SessionMessage>> _queues = new(StringComparer.Ordinal);
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    /// <inheritdoc />
    public ValueTask InitializeAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask<byte[]> GetTokenKeyAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_key);

    /// <inheritdoc />
    public ValueTask<int> EnqueueAsync(string sessionId, SessionMessage message, int maxPerSession, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPerSession);
        var dropped = 0;
        lock (_lock)
        {
            if (!_queues.TryGetValue(sessionId, out var queue))
            {
                _queues[sessionId] = queue = new Queue<SessionMessage>();
            }

            queue.Enqueue(message);
            while (queue.Count > maxPerSession)
            {
                queue.Dequeue();
                dropped++;
            }
        }

        return ValueTask.FromResult(dropped);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SessionMessage>> TakeAllAsync(string sessionId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_queues.Remove(sessionId, out var queue))
            {
                return ValueTask.FromResult<IReadOnlyList<SessionMessage>>(queue.ToArray());
            }
        }

        return ValueTask.FromResult<IReadOnlyList<SessionMessage>>([]);
    }

    /// <inheritdoc />
    public ValueTask<bool> HasMessagesAsync(string sessionId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_queues.ContainsKey(sessionId));
        }
    }

    /// <inheritdoc />
    public ValueTask<int> RemoveExpiredAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var removed = 0;
        lock (_lock)
        {
            foreach (var (id, queue) in _queues.ToArray())
            {
                while (queue.Count > 0 && queue.Peek().Time < cutoff)
                {
                    queue.Dequeue();
                    removed++;
                }

                if (queue.Count == 0)
                {
                    _queues.Remove(id);
                }
            }
        }

        return ValueTask.FromResult(removed);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
