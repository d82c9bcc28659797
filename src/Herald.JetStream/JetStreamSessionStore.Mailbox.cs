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

        var dropped = await PurgeAsync(subject, 0, cancellationToken, keep: (ulong)maxQueued).ConfigureAwait(false);
        return new SessionEnqueueResult((long)ack.Seq, (int)dropped, await CountAsync(subject, cancellationToken).ConfigureAwait(false));
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
            StoredMessage stored;
            try
            {
                // A mailbox is short (100 by default) and read when its session attaches or a message arrives.
                stored = (await Stream.GetAsync(new StreamMsgGetRequest { Seq = next, NextBySubj = subject }, cancellationToken).ConfigureAwait(false)).Message;
            }
            catch (NatsJSApiException ex) when (ex.Error.Code == 404)
            {
                break;
            }
            catch (Exception ex) when (NatsFailure.IsUnavailable(ex, cancellationToken))
            {
                throw Unavailable("read queued messages", ex);
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
