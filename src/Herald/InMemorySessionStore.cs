namespace Herald;

/// <summary>
/// Keeps session records and mailboxes in process memory: nothing survives a restart. Several hubs in one process
/// may share one instance, which then behaves as a cluster's shared session store would.
/// </summary>
public sealed class InMemorySessionStore : ISessionStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, StoredRecord> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<QueuedMessage>> _mailboxes = new(StringComparer.Ordinal);
    private readonly SessionChangeFeed _changes = new();
    private long _lastRevision;
    private long _lastSequence;

    /// <inheritdoc />
    public ValueTask InitializeAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask<SessionRecord?> GetAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        lock (_lock)
        {
            return ValueTask.FromResult(_records.TryGetValue(sessionId, out var stored) ? stored.ToRecord(sessionId) : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<SessionRecord?> TryWriteAsync(SessionRecord record, long expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var current = _records.GetValueOrDefault(record.Id);
            if ((current?.Revision ?? 0) != expectedRevision)
            {
                return ValueTask.FromResult<SessionRecord?>(null);
            }

            if (current is null)
            {
                _mailboxes.Remove(record.Id);
            }

            var stored = record with { Revision = ++_lastRevision };
            _records[record.Id] = new StoredRecord(stored);
            _changes.Publish(new SessionChange(SessionChangeKind.Written, stored.Id, stored));
            return ValueTask.FromResult<SessionRecord?>(stored);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryDeleteAsync(string sessionId, long? expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        lock (_lock)
        {
            if (!_records.TryGetValue(sessionId, out var current) || (expectedRevision is { } expected && current.Revision != expected))
            {
                return ValueTask.FromResult(false);
            }

            Delete(sessionId);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<SessionEnqueueResult> EnqueueAsync(string sessionId, DateTimeOffset time, ReadOnlyMemory<byte> data, int maxQueued, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxQueued);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_mailboxes.TryGetValue(sessionId, out var mailbox))
            {
                _mailboxes[sessionId] = mailbox = [];
            }

            var message = new QueuedMessage(++_lastSequence, time, data.ToArray());
            mailbox.Add(message);
            var dropped = Math.Max(0, mailbox.Count - maxQueued);
            mailbox.RemoveRange(0, dropped);
            _changes.Publish(new SessionChange(SessionChangeKind.MessageQueued, sessionId));
            return ValueTask.FromResult(new SessionEnqueueResult(message.Sequence, dropped, mailbox.Count));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<QueuedMessage>> ReadQueueAsync(string sessionId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        lock (_lock)
        {
            IReadOnlyList<QueuedMessage> page = _mailboxes.TryGetValue(sessionId, out var mailbox)
                ? [.. mailbox.Where(m => m.Sequence > afterSequence).Take(limit)]
                : [];
            return ValueTask.FromResult(page);
        }
    }

    /// <inheritdoc />
    public ValueTask RemoveQueuedAsync(string sessionId, long throughSequence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        lock (_lock)
        {
            if (_mailboxes.TryGetValue(sessionId, out var mailbox))
            {
                mailbox.RemoveAll(m => m.Sequence <= throughSequence);
                if (mailbox.Count == 0)
                {
                    _mailboxes.Remove(sessionId);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<int> ReleaseNodeAsync(string nodeId, DateTimeOffset awaySince, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        var released = 0;
        lock (_lock)
        {
            foreach (var (id, entry) in _records.Where(r => r.Value.NodeId == nodeId).ToArray())
            {
                var stored = entry.ToRecord(id) with { Attachment = null, AwaySince = awaySince, Revision = ++_lastRevision };
                _records[id] = new StoredRecord(stored);
                _changes.Publish(new SessionChange(SessionChangeKind.Written, stored.Id, stored));
                released++;
            }
        }

        return ValueTask.FromResult(released);
    }

    /// <inheritdoc />
    public ValueTask<int> RemoveExpiredAsync(DateTimeOffset awayBefore, DateTimeOffset messagesBefore, CancellationToken cancellationToken)
    {
        var removed = 0;
        lock (_lock)
        {
            foreach (var id in _records.Where(r => r.Value.NodeId is null && r.Value.AwaySinceTicks < awayBefore.UtcTicks).Select(r => r.Key).ToArray())
            {
                removed += 1 + (_mailboxes.GetValueOrDefault(id)?.Count ?? 0);
                Delete(id);
            }

            foreach (var (id, mailbox) in _mailboxes.ToArray())
            {
                var before = mailbox.Count;
                if (_records.ContainsKey(id))
                {
                    mailbox.RemoveAll(m => m.Time < messagesBefore);
                }
                else
                {
                    mailbox.Clear();
                }

                removed += before - mailbox.Count;
                if (mailbox.Count == 0)
                {
                    _mailboxes.Remove(id);
                }
            }
        }

        return ValueTask.FromResult(removed);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<SessionChange> WatchAsync(CancellationToken cancellationToken) => _changes.WatchAsync(cancellationToken);

    /// <inheritdoc />
    /// <remarks>Ends every watch.</remarks>
    public ValueTask DisposeAsync()
    {
        _changes.Complete();
        return ValueTask.CompletedTask;
    }

    private void Delete(string sessionId)
    {
        _records.Remove(sessionId, out var record);
        _mailboxes.Remove(sessionId);
        _changes.Publish(new SessionChange(SessionChangeKind.Deleted, sessionId, record?.ToRecord(sessionId)));
    }

    /// <summary>
    /// A record as kept here: flat fields instead of a <see cref="SessionRecord"/> and its <see cref="SessionAttachment"/>,
    /// because every connected session has one and an idle subscriber's memory is what Herald is measured on.
    /// </summary>
    private sealed class StoredRecord(SessionRecord record)
    {
        public readonly string? Owner = record.Owner;
        public readonly byte[] TokenHash = record.TokenHash.ToArray();
        public readonly byte[]? PreviousTokenHash = record.PreviousTokenHash.IsEmpty ? null : record.PreviousTokenHash.ToArray();
        public readonly string? NodeId = record.Attachment?.NodeId;
        public readonly string? ConnectionId = record.Attachment?.ConnectionId;
        public readonly long AttachedTicks = record.Attachment?.Since.UtcTicks ?? 0;
        public readonly long CreatedTicks = record.CreatedAt.UtcTicks;
        public readonly long AwaySinceTicks = record.AwaySince.UtcTicks;
        public readonly long Revision = record.Revision;

        public SessionRecord ToRecord(string id) => new()
        {
            Id = id,
            Owner = Owner,
            TokenHash = TokenHash,
            PreviousTokenHash = PreviousTokenHash,
            Attachment = NodeId is null ? null : new SessionAttachment(NodeId, ConnectionId!, new DateTimeOffset(AttachedTicks, TimeSpan.Zero)),
            CreatedAt = new DateTimeOffset(CreatedTicks, TimeSpan.Zero),
            AwaySince = new DateTimeOffset(AwaySinceTicks, TimeSpan.Zero),
            Revision = Revision,
        };
    }
}
