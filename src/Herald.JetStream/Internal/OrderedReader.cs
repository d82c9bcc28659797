using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Herald.JetStream.Internal;

/// <summary>
/// Reads a stream in order through short-lived consumers that Herald creates itself, the way an ordered consumer
/// does, with one difference that matters on nats-server 2.9: the client library's ordered consumer sends its filter
/// as <c>filter_subjects</c>, which servers before 2.10 silently ignore (every message would arrive). Here the filter
/// goes in <c>filter_subject</c>, and the configuration the server applied is checked before a message is read.
/// </summary>
/// <remarks>
/// Consumers are ephemeral, in memory, one replica, acknowledge nothing, and vanish by themselves when their reader
/// is gone (<see cref="InactiveThreshold"/>). A follower that loses its consumer (the server holding it died), sees a
/// gap in the consumer's sequence, or stops hearing heartbeats makes a new one from the next stream sequence: no gap,
/// no duplicate.
/// </remarks>
internal sealed class OrderedReader(NatsJSContext js, string stream, ILogger logger)
{
    private static readonly TimeSpan InactiveThreshold = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    public string Stream => stream;

    /// <summary>
    /// Every message matching <paramref name="filter"/> from <paramref name="start"/> on, in stream order, until cancelled.
    /// </summary>
    /// <param name="filter">One subject, wildcards allowed.</param>
    /// <param name="start">Where to begin; after a failure the reader goes on from the sequence after the last message it yielded.</param>
    /// <param name="headersOnly">Deliver headers and metadata without bodies.</param>
    /// <param name="cancellationToken">Ends the enumeration with <see cref="OperationCanceledException"/>.</param>
    public async IAsyncEnumerable<INatsJSMsg<byte[]>> FollowAsync(string filter, ReadStart start, bool headersOnly, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ulong last = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            INatsJSConsumer consumer;
            try
            {
                consumer = await CreateAsync(filter, last > 0 ? ReadStart.At(last + 1) : start, headersOnly, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NatsException or NatsJSException && !cancellationToken.IsCancellationRequested)
            {
                Log.FollowFailed(logger, stream, last, ex.Message);
                await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
                continue;
            }

            ulong consumerSequence = 0;
            using var stale = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var silentBeats = 0;
            var opts = new NatsJSConsumeOpts
            {
                MaxMsgs = 1000,
                IdleHeartbeat = TimeSpan.FromSeconds(2),
                Expires = TimeSpan.FromSeconds(10),
                NotificationHandler = (notification, _) =>
                {
                    // Heartbeats stop when the consumer is gone without an error reaching us: make a new one.
                    if (notification is NatsJSTimeoutNotification && ++silentBeats >= 3)
                    {
                        stale.Cancel();
                    }

                    return Task.CompletedTask;
                },
            };
            var messages = consumer.ConsumeAsync<byte[]>(opts: opts, cancellationToken: stale.Token).GetAsyncEnumerator(stale.Token);
            try
            {
                while (true)
                {
                    string? failure = null;
                    try
                    {
                        if (!await messages.MoveNextAsync().ConfigureAwait(false))
                        {
                            failure = "the consumer ended";
                        }
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        failure = "no heartbeats from the consumer";
                    }
                    catch (Exception ex) when (ex is NatsException or NatsJSException && !cancellationToken.IsCancellationRequested)
                    {
                        failure = ex.Message;
                    }

                    if (failure is not null)
                    {
                        Log.FollowFailed(logger, stream, last, failure);
                        break;
                    }

                    silentBeats = 0;
                    var message = messages.Current;
                    if (message.Metadata is not { } metadata)
                    {
                        continue;
                    }

                    if (metadata.Sequence.Consumer != consumerSequence + 1)
                    {
                        Log.FollowFailed(logger, stream, last, $"consumer sequence {metadata.Sequence.Consumer} after {consumerSequence}");
                        break;
                    }

                    consumerSequence = metadata.Sequence.Consumer;
                    last = metadata.Sequence.Stream;
                    yield return message;
                }
            }
            finally
            {
                await messages.DisposeAsync().ConfigureAwait(false);
                await TryDeleteAsync(consumer.Info.Name).ConfigureAwait(false);
            }

            await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// At most <paramref name="max"/> messages matching <paramref name="filter"/> from <paramref name="start"/>, in stream
    /// order, as they are stored now; and how many more match after the last one (0 when the last one is the newest).
    /// </summary>
    public async Task<(List<INatsJSMsg<byte[]>> Messages, ulong Pending)> FetchAsync(string filter, ReadStart start, int max, CancellationToken cancellationToken)
    {
        var consumer = await CreateAsync(filter, start, headersOnly: false, cancellationToken).ConfigureAwait(false);
        try
        {
            var messages = new List<INatsJSMsg<byte[]>>(Math.Min(max, 1024));
            var pending = consumer.Info.NumPending;
            while (messages.Count < max && pending > 0)
            {
                var before = messages.Count;
                await foreach (var message in consumer.FetchNoWaitAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = max - messages.Count }, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    if (message.Metadata is not { } metadata)
                    {
                        continue;
                    }

                    if (metadata.Sequence.Consumer != (ulong)messages.Count + 1)
                    {
                        throw new NatsJSException($"Reading stream {stream} skipped a message (consumer sequence {metadata.Sequence.Consumer}).");
                    }

                    messages.Add(message);
                    pending = metadata.NumPending;
                }

                if (messages.Count == before)
                {
                    break;
                }
            }

            return (messages, pending);
        }
        finally
        {
            await TryDeleteAsync(consumer.Info.Name).ConfigureAwait(false);
        }
    }

    private async Task<INatsJSConsumer> CreateAsync(string filter, ReadStart start, bool headersOnly, CancellationToken cancellationToken)
    {
        var config = new ConsumerConfig
        {
            Name = "herald-" + Guid.NewGuid().ToString("N"),
            FilterSubject = filter,
            AckPolicy = ConsumerConfigAckPolicy.None,
            DeliverPolicy = start.Policy,
            MemStorage = true,
            NumReplicas = 1,
            InactiveThreshold = InactiveThreshold,
            HeadersOnly = headersOnly,
        };
        if (start.Policy == ConsumerConfigDeliverPolicy.ByStartSequence)
        {
            config.OptStartSeq = start.Sequence;
        }

        var consumer = await js.CreateOrUpdateConsumerAsync(stream, config, cancellationToken).ConfigureAwait(false);
        var applied = consumer.Info.Config;
        if (applied.FilterSubject != filter || applied.HeadersOnly != headersOnly || applied.DeliverPolicy != start.Policy)
        {
            await TryDeleteAsync(consumer.Info.Name).ConfigureAwait(false);
            throw new NatsJSException($"The server did not apply the consumer configuration Herald asked for on stream {stream} (filter '{applied.FilterSubject}' for '{filter}'); Herald needs nats-server 2.9 or later.");
        }

        return consumer;
    }

    private async ValueTask TryDeleteAsync(string consumer)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await js.DeleteConsumerAsync(stream, consumer, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NatsException or NatsJSException or OperationCanceledException)
        {
            // It vanishes by itself after the inactive threshold.
        }
    }
}
