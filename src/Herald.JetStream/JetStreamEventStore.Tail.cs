using Herald.JetStream.Internal;
using NATS.Client.JetStream;

namespace Herald.JetStream;

public sealed partial class JetStreamEventStore
{
    /// <summary>How often the tail checks that the stream is still the one it started on. Default 5 seconds.</summary>
    internal TimeSpan EpochCheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Follows the whole stream from <paramref name="start"/>: every event goes into the cache, then to this node's
    /// followers. Beside it, a check every few seconds that the stream is still the one this node started on.
    /// </summary>
    private async Task TailAsync(ulong start, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            using var epoch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var watch = WatchEpochAsync(epoch);
            try
            {
                await foreach (var message in _reader.FollowAsync(NatsSubjects.AllEvents(_prefix), ReadStart.At(start), headersOnly: false, epoch.Token).ConfigureAwait(false))
                {
                    if (Decode(message) is { } e)
                    {
                        _cache.Add([e]);
                        Volatile.Write(ref _followedThrough, e.Id);
                        Volatile.Read(ref _feed).Publish([e]);
                    }
                    else
                    {
                        Volatile.Write(ref _followedThrough, (long)message.Metadata!.Value.Sequence.Stream);
                    }

                    var metadata = message.Metadata!.Value;
                    _followed.Advance(metadata.Sequence.Stream);
                    RaiseTo(ref _head, (long)(metadata.Sequence.Stream + metadata.NumPending));
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The stream was created anew: its ids start over, and so does this node.
                start = 1;
                _cache.Reset(0);
                Volatile.Write(ref _followedThrough, 0);
                Volatile.Write(ref _appendedThrough, 0);
                Volatile.Write(ref _head, 0);
                var previous = Interlocked.Exchange(ref _feed, new EventFeed(ReadAsync));
                previous.Fail(new EventStoreUnavailableException($"NATS stream {_options.EventsStream} was created anew; follow it again from its start."));
            }
            finally
            {
                await epoch.CancelAsync().ConfigureAwait(false);
                await watch.ConfigureAwait(false);
            }
        }
    }

    /// <summary>Raises <paramref name="field"/> to <paramref name="value"/> unless it is already higher; safe from any thread.</summary>
    private static void RaiseTo(ref long field, long value)
    {
        long seen;
        while ((seen = Volatile.Read(ref field)) < value && Interlocked.CompareExchange(ref field, value, seen) != seen)
        {
        }
    }

    /// <summary>Cancels <paramref name="tail"/> when the stream's creation time changes (someone deleted and recreated it).</summary>
    private async Task WatchEpochAsync(CancellationTokenSource tail)
    {
        try
        {
            while (true)
            {
                await Task.Delay(EpochCheckInterval, _time, tail.Token).ConfigureAwait(false);
                DateTimeOffset created;
                try
                {
                    created = (await JetStream.GetStreamAsync(_options.EventsStream, cancellationToken: tail.Token).ConfigureAwait(false)).Info.Created;
                }
                catch (Exception ex) when (NatsFailure.IsUnavailable(ex, tail.Token))
                {
                    // Unreachable or deleted: the tail retries by itself; a stream created anew is seen on a later check.
                    continue;
                }

                if (created != _epoch)
                {
                    Log.StreamRecreated(_logger, _options.EventsStream, created, _epoch);
                    _epoch = created;
                    await tail.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private HeraldEvent? Decode(INatsJSMsg<byte[]> message, bool stamped = true)
    {
        var metadata = message.Metadata!.Value;
        var id = (long)metadata.Sequence.Stream;
        try
        {
            var topic = NatsSubjects.TopicOf(_prefix, message.Subject) ?? throw new FormatException($"'{message.Subject}' is not an event subject.");
            return Envelope.ReadEvent(id, topic, message.Data ?? [], stamped ? metadata.Timestamp : null);
        }
        catch (FormatException ex)
        {
            // Something other than Herald published to its subjects; skip it rather than stop the hub.
            Log.SkippedMessage(_logger, metadata.Sequence.Stream, _options.EventsStream, ex.Message);
            return null;
        }
    }
}
