using System.Diagnostics;
using Herald.JetStream.Internal;
using NATS.Client.JetStream;

namespace Herald.JetStream;

public sealed partial class JetStreamEventStore
{
    /// <summary>How long one attempt waits for JetStream's acknowledgements before it counts as failed.</summary>
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    /// <remarks>
    /// Pipelined: every message of the batch is sent before the first acknowledgement is awaited. Messages that were not
    /// acknowledged (no stream leader during an election, a lost connection) are sent again with the same message id
    /// until <see cref="JetStreamOptions.PublishTimeout"/>; JetStream answers a repeated id with the sequence it stored
    /// the first time. While the connection to NATS is down, an append fails at once.
    /// </remarks>
    public async ValueTask<IReadOnlyList<HeraldEvent>> AppendAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        ThrowIfNotReady();
        if (events.Count == 0)
        {
            return [];
        }

        if (!_connection.IsConnected)
        {
            throw new EventStoreUnavailableException($"NATS is not reachable: this node is reconnecting to {JetStreamConnection.Redacted(_options.Url)}.");
        }

        var now = _time.GetUtcNow();
        var messages = new (string Subject, byte[] Body, string MsgId)[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            messages[i] = (NatsSubjects.Event(_prefix, e.Topic), Envelope.Write(e, e.Time ?? now), e.IdempotencyKey ?? Guid.NewGuid().ToString("N"));
        }

        var acks = new ulong[events.Count];
        var started = Stopwatch.GetTimestamp();
        var pending = Enumerable.Range(0, events.Count).ToList();
        for (var attempt = 0; ; attempt++)
        {
            string? failure;
            (pending, failure) = await PublishAsync(messages, pending, acks, cancellationToken).ConfigureAwait(false);
            if (pending.Count == 0)
            {
                break;
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            if (elapsed >= _options.PublishTimeout || !_connection.IsConnected)
            {
                throw new EventStoreUnavailableException($"NATS did not store {pending.Count} of {events.Count} events within {elapsed.TotalSeconds:0.#} s: {failure}");
            }

            Log.PublishRetry(_logger, pending.Count, failure ?? "no acknowledgement");
            var delay = TimeSpan.FromMilliseconds(Math.Min(1000, 50 << Math.Min(attempt, 5)));
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }

        RaiseTo(ref _appendedThrough, (long)acks.Max());

        var storedAt = _time.GetUtcNow();
        var stored = new HeraldEvent[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            stored[i] = new HeraldEvent((long)acks[i], e.Topic, e.Type, e.Time ?? now, e.Source, e.Data, storedAt);
        }

        return stored;
    }

    /// <summary>Sends the messages at <paramref name="indexes"/> and returns those still unacknowledged, with why.</summary>
    private async Task<(List<int> Pending, string? Failure)> PublishAsync((string Subject, byte[] Body, string MsgId)[] messages, List<int> indexes, ulong[] acks, CancellationToken cancellationToken)
    {
        var futures = new List<(int Index, NatsJSPublishConcurrentFuture Future)>(indexes.Count);
        var pending = new List<int>();
        string? failure = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AttemptTimeout);
        try
        {
            foreach (var index in indexes)
            {
                var (subject, body, msgId) = messages[index];
                try
                {
                    futures.Add((index, await JetStream.PublishConcurrentAsync(subject, body, opts: new NatsJSPubOpts { MsgId = msgId }, cancellationToken: timeout.Token).ConfigureAwait(false)));
                }
                catch (Exception ex) when (NatsFailure.IsUnavailable(ex, cancellationToken))
                {
                    failure ??= ex.Message;
                    pending.Add(index);
                }
            }

            foreach (var (index, future) in futures)
            {
                try
                {
                    var ack = await future.GetResponseAsync(timeout.Token).ConfigureAwait(false);
                    if (ack.Error is { } error)
                    {
                        // 503: no stream leader (an election is under way); anything else will not change on a retry.
                        if (error.Code != 503)
                        {
                            throw new EventStoreUnavailableException($"NATS refused an event: {error.Description} (code {error.ErrCode}).");
                        }

                        failure ??= error.Description;
                        pending.Add(index);
                        continue;
                    }

                    acks[index] = ack.Seq;
                }
                catch (Exception ex) when (NatsFailure.IsUnavailable(ex, cancellationToken))
                {
                    failure ??= ex is OperationCanceledException ? $"no acknowledgement within {AttemptTimeout.TotalSeconds:0.#} s" : ex.Message;
                    pending.Add(index);
                }
            }
        }
        finally
        {
            foreach (var (_, future) in futures)
            {
                await future.DisposeAsync().ConfigureAwait(false);
            }
        }

        pending.Sort();
        return (pending, failure);
    }
}
