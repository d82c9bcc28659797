using Herald.JetStream.Internal;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Herald.JetStream;

public sealed partial class JetStreamSessionStore
{
    /// <inheritdoc />
    /// <remarks>The message is acknowledged by JetStream before this returns; then the mailbox is trimmed to <paramref name="maxQueued"/>.</remarks>
    public async ValueTask<SessionEnqueueResult> EnqueueAsync(string sessionId, DateTimeOffset time, ReadOnlyMemory<byte> data, int maxQueued, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxQueued);
        ThrowIfNotReady();
        var subject = NatsSubjects.Mailbox(_prefix, sessionId);
        PubAckResponse ack;
        try
        {
            ack = await JetStream.PublishAsync(subject, Envelope.Write(null, time, null, data), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (NatsFailure.IsUnavailable(ex, cancellationToken))
        {
            throw Unavailable("queue a message", ex);
        }

        if (ack.Error is { } error)
        {
            throw new EventStoreUnavailableException($"NATS refused a queued message: {error.Description} (code {error.ErrCode}).");
        }

        // Trimmed one message at a time, and only a message read as the oldest before a count that still exceeds the
        // bound: whatever another enqueue trims meanwhile, each removal is one the bound asked for, or a no-op when both
        // picked the same message. Not with a purge with keep: it counts, then removes, so enqueues racing on a full
        // mailbox could remove more than the bound, and on nats-server 2.9 it can remove other messages than the oldest
        // (see TrimHistory). The stream's per-subject limit, one over the bound, caps the mailbox meanwhile.
        var dropped = 0;
        var queued = await CountAsync(subject, cancellationToken).ConfigureAwait(false);
        while (queued > maxQueued)
        {
            if (await OldestAsync(subject, cancellationToken).ConfigureAwait(false) is not { } oldest)
            {
                break;
            }

            queued = await CountAsync(subject, cancellationToken).ConfigureAwait(false);
            if (queued <= maxQueued)
            {
                break;
            }

            if (await DeleteMessageAsync(oldest, cancellationToken).ConfigureAwait(false))
            {
                dropped++;
            }

            queued--;
        }

        return new SessionEnqueueResult((long)ack.Seq, dropped, Math.Max(queued, 0));
    }

    /// <summary>The sequence of the oldest message on <paramref name="subject"/>; null when it has none.</summary>
    private async Task<ulong?> OldestAsync(string subject, CancellationToken cancellationToken)
        => (await GetMessageAsync(new StreamMsgGetRequest { Seq = 1, NextBySubj = subject }, "read queued messages", cancellationToken).ConfigureAwait(false))?.Seq;

    /// <summary>Deletes one message; false when it was already gone.</summary>
    private async Task<bool> DeleteMessageAsync(ulong sequence, CancellationToken cancellationToken)
    {
        try
        {
            return (await Stream.DeleteMessageAsync(new StreamMsgDeleteRequest { Seq = sequence, NoErase = true }, cancellationToken).ConfigureAwait(false)).Success;
        }
        catch (NatsJSApiException ex) when (ex.Error.ErrCode is SequenceNotFound or MessageDeleteFailed)
        {
            return false;
        }
        catch (Exception ex) when (NatsFailure.IsUnavailable(ex, cancellationToken))
        {
            throw Unavailable("drop a queued message", ex);
        }
    }

    /// <summary>How many messages a subject holds now, from the stream's state for that subject alone.</summary>
    private async Task<int> CountAsync(string subject, CancellationToken cancellationToken)
    {
        try
        {
            var info = await JetStream.GetStreamAsync(_options.SessionsStream, new StreamInfoRequest { SubjectsFilter = subject }, cancellationToken).ConfigureAwait(false);
            return info.Info.State.Subjects is { } subjects && subjects.TryGetValue(subject, out var count) ? (int)count : 0;
        }
        catch (Exception ex) when (NatsFailure.IsUnavailable(ex, cancellationToken))
        {
            throw Unavailable("count queued messages", ex);
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<QueuedMessage>> ReadQueueAsync(string sessionId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ThrowIfNotReady();
        var subject = NatsSubjects.Mailbox(_prefix, sessionId);
        var messages = new List<QueuedMessage>();
        var next = (ulong)Math.Max(afterSequence, 0) + 1;
        while (messages.Count < limit)
        {
            // A mailbox is short (100 by default) and read when its session attaches or a message arrives.
            if (await GetMessageAsync(new StreamMsgGetRequest { Seq = next, NextBySubj = subject }, "read queued messages", cancellationToken).ConfigureAwait(false) is not { } stored)
            {
                break;
            }

            try
            {
                var (_, time, _, data) = Envelope.Read(stored.Data);
                messages.Add(new QueuedMessage((long)stored.Seq, time, data));
            }
            catch (FormatException ex)
            {
                Log.SkippedMessage(_logger, stored.Seq, _options.SessionsStream, ex.Message);
            }

            next = stored.Seq + 1;
        }

        return messages;
    }

    /// <inheritdoc />
    public async ValueTask RemoveQueuedAsync(string sessionId, long throughSequence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ThrowIfNotReady();
        if (throughSequence > 0)
        {
            await PurgeAsync(NatsSubjects.Mailbox(_prefix, sessionId), (ulong)throughSequence + 1, cancellationToken).ConfigureAwait(false);
        }
    }
}
