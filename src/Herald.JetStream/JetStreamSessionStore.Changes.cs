using Herald.JetStream.Internal;
using NATS.Client.JetStream.Models;

namespace Herald.JetStream;

public sealed partial class JetStreamSessionStore
{
    /// <summary>Queued-message times remembered per mailbox, to find expired ones; a mailbox holds no more anyway.</summary>
    private const int MaxRememberedPerMailbox = 1024;

    private readonly Lock _mirrorLock = new();
    private readonly Dictionary<string, SessionRecord> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(ulong Sequence, DateTimeOffset Time)>> _queued = new(StringComparer.Ordinal);
    private readonly SequenceWaiter _followed = new();

    /// <inheritdoc />
    public IAsyncEnumerable<SessionChange> WatchAsync(CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        return _changes.WatchAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<int> ReleaseNodeAsync(string nodeId, DateTimeOffset awaySince, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        ThrowIfNotReady();
        await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var released = 0;
        foreach (var candidate in Snapshot(r => r.Attachment?.NodeId == nodeId))
        {
            var record = candidate;
            for (var attempt = 0; attempt < 4 && record?.Attachment?.NodeId == nodeId; attempt++)
            {
                if (await TryWriteAsync(record with { Attachment = null, AwaySince = awaySince }, record.Revision, cancellationToken).ConfigureAwait(false) is not null)
                {
                    released++;
                    break;
                }

                record = await GetAsync(record.Id, cancellationToken).ConfigureAwait(false);
            }
        }

        return released;
    }

    /// <inheritdoc />
    public async ValueTask<int> RemoveExpiredAsync(DateTimeOffset awayBefore, DateTimeOffset messagesBefore, CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var removed = 0;
        foreach (var expired in Snapshot(r => r.Attachment is null && r.AwaySince < awayBefore))
        {
            if (await DeleteAsync(expired.Id, expired.Revision, cancellationToken).ConfigureAwait(false) is { } messages)
            {
                removed += 1 + messages;
            }
        }

        List<(string SessionId, ulong Before, bool Orphan)> purges;
        lock (_mirrorLock)
        {
            purges = [];
            foreach (var (sessionId, queued) in _queued)
            {
                var orphan = !_records.ContainsKey(sessionId);
                var expired = queued.Where(q => q.Time < messagesBefore).Select(q => q.Sequence).DefaultIfEmpty().Max();
                if (orphan || expired > 0)
                {
                    purges.Add((sessionId, orphan ? 0 : expired + 1, orphan));
                }
            }
        }

        foreach (var (sessionId, before, orphan) in purges)
        {
            removed += (int)await PurgeAsync(NatsSubjects.Mailbox(_prefix, sessionId), before, cancellationToken).ConfigureAwait(false);
            lock (_mirrorLock)
            {
                if (_queued.TryGetValue(sessionId, out var queued))
                {
                    queued.RemoveAll(q => orphan || q.Sequence < before);
                    if (queued.Count == 0)
                    {
                        _queued.Remove(sessionId);
                    }
                }
            }
        }

        return removed;
    }

    /// <summary>Waits until this node's copy of the records includes every write made before the call.</summary>
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        PubAckResponse ack;
        try
        {
            ack = await JetStream.PublishAsync(NatsSubjects.SessionsSync(_prefix), Array.Empty<byte>(), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (NatsFailure.IsUnavailable(ex, cancellationToken))
        {
            throw Unavailable("reach the sessions stream", ex);
        }

        if (ack.Error is { } error)
        {
            throw new EventStoreUnavailableException($"NATS refused a session sync marker: {error.Description} (code {error.ErrCode}).");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PublishTimeout);
        try
        {
            await _followed.WaitAsync(ack.Seq, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EventStoreUnavailableException($"This node's view of the sessions did not catch up within {_options.PublishTimeout.TotalSeconds:0.#} s.");
        }
    }

    private List<SessionRecord> Snapshot(Func<SessionRecord, bool> predicate)
    {
        lock (_mirrorLock)
        {
            return [.. _records.Values.Where(predicate)];
        }
    }

    /// <summary>
    /// Follows the whole stream: first the newest message of every subject (the records as they are), then every new
    /// one, which updates this node's copy and is reported to the watchers.
    /// </summary>
    private async Task FollowChangesAsync(TaskCompletionSource loaded, CancellationToken cancellationToken)
    {
        await foreach (var message in _reader.FollowAsync(NatsSubjects.AllSessions(_prefix), ReadStart.LastPerSubject, headersOnly: false, cancellationToken).ConfigureAwait(false))
        {
            var metadata = message.Metadata!.Value;
            var live = loaded.Task.IsCompleted;
            try
            {
                Apply(message.Subject, message.Data ?? [], metadata.Sequence.Stream, live);
            }
            catch (FormatException ex)
            {
                Log.SkippedMessage(_logger, metadata.Sequence.Stream, _options.SessionsStream, ex.Message);
            }

            _followed.Advance(metadata.Sequence.Stream);
            if (!live && metadata.NumPending == 0)
            {
                loaded.TrySetResult();
            }
        }
    }

    private void Apply(string subject, byte[] body, ulong sequence, bool live)
    {
        if (NatsSubjects.SessionSubject(_prefix, subject) is not { } session)
        {
            return;
        }

        var (isRecord, sessionId) = session;
        SessionChange change;
        if (isRecord)
        {
            var (record, deleted) = SessionRecordJson.Read(body, (long)sequence);
            lock (_mirrorLock)
            {
                if (deleted)
                {
                    _records.Remove(sessionId);
                }
                else
                {
                    _records[sessionId] = record;
                }
            }

            change = new SessionChange(deleted ? SessionChangeKind.Deleted : SessionChangeKind.Written, sessionId, record);
        }
        else
        {
            var (_, time, _, _) = Envelope.Read(body);
            lock (_mirrorLock)
            {
                if (!_queued.TryGetValue(sessionId, out var queued))
                {
                    _queued[sessionId] = queued = [];
                }

                if (queued.Count == MaxRememberedPerMailbox)
                {
                    queued.RemoveAt(0);
                }

                queued.Add((sequence, time));
            }

            change = new SessionChange(SessionChangeKind.MessageQueued, sessionId);
        }

        if (live)
        {
            _changes.Publish(change);
        }
    }
}
