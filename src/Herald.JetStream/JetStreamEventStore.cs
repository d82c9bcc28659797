using System.Runtime.CompilerServices;
using Herald.JetStream.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Herald.JetStream;

/// <summary>
/// Herald's event log in a NATS JetStream stream shared by every node: an event is one message on
/// <c>&lt;prefix&gt;.events.&lt;topic tokens&gt;</c>, and its stream sequence is its Herald id, so the ids are one
/// global order whichever node appended.
/// </summary>
/// <remarks>
/// <para>Each node follows the stream with one consumer of its own (the tail), from which it feeds its dispatcher
/// (<see cref="FollowAsync"/>) and a cache of the newest <see cref="JetStreamOptions.CacheEvents"/> events that answers
/// replays and history reads without a round trip to NATS; older reads go to the stream.</para>
/// <para>An append is acknowledged once JetStream acknowledged every message of it (quorum of the stream's replicas).
/// Unlike SQLite, the messages of one append are not one transaction: nats-server before 2.12 has no atomic batch.
/// Each carries a <c>Nats-Msg-Id</c> (the producer's idempotency key, or one Herald makes), so the retries Herald makes
/// while a stream leader is elected, or a producer's retry with the same key, never store an event twice.</para>
/// </remarks>
public sealed partial class JetStreamEventStore : IEventStore
{
    private readonly JetStreamConnection _connection;
    private readonly JetStreamOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly OrderedReader _reader;
    private readonly EventCache _cache;
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _prefix;
    private EventFeed _feed;
    private DateTimeOffset _epoch;
    private Task _tail = Task.CompletedTask;
    private readonly SequenceWaiter _followed = new();
    private long _followedThrough;
    private long _appendedThrough;
    private long _head;
    private int _state;

    /// <summary>Creates the store over <paramref name="connection"/>; nothing is sent until <see cref="InitializeAsync"/>.</summary>
    /// <param name="connection">The node's connection to NATS (shared with its session store and bus).</param>
    /// <param name="timeProvider">The clock for the time stamped on acknowledged events; the system clock when omitted.</param>
    /// <param name="logger">Where to log; nothing is logged when omitted.</param>
    public JetStreamEventStore(JetStreamConnection connection, TimeProvider? timeProvider = null, ILogger<JetStreamEventStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _options = connection.Options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _prefix = _options.SubjectPrefix;
        _reader = new OrderedReader(connection.JetStream, _options.EventsStream, _logger);
        _cache = new EventCache(_options.CacheEvents, _options.CacheBytes);
        _feed = new EventFeed(ReadAsync);
    }

    /// <summary>The stream's creation time as this node knows it: a stream created anew starts its ids over.</summary>
    public DateTimeOffset Epoch => _epoch;

    /// <summary>The last id this node's tail has followed.</summary>
    internal long FollowedThrough => Volatile.Read(ref _followedThrough);

    /// <inheritdoc />
    /// <remarks>
    /// The stream's last sequence as the tail last heard it (each message it reads says how many follow), or the last
    /// this node appended, whichever is newer.
    /// </remarks>
    public long KnownLastId => Math.Max(Volatile.Read(ref _head), Volatile.Read(ref _appendedThrough));

    private NatsJSContext JetStream => _connection.JetStream;

    /// <inheritdoc />
    /// <remarks>Connects, creates or updates the stream (several nodes at once is safe) and starts following it.</remarks>
    public async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_state == 2, this);
        if (_state == 1)
        {
            return;
        }

        await _connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var info = await StreamSetup.EnsureAsync(JetStream, StreamConfig(), _options.ConnectTimeout, _logger, cancellationToken).ConfigureAwait(false);
        _epoch = info.Created;
        var last = (long)info.State.LastSeq;
        var start = Math.Max(1, last - _options.CacheEvents + 1);
        _cache.Reset(start - 1);
        Volatile.Write(ref _followedThrough, start - 1);
        RaiseTo(ref _head, last);
        _state = 1;
        _tail = Task.Run(() => TailAsync((ulong)start, _stopping.Token), CancellationToken.None);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A position beyond the stream's last sequence belongs to a stream that was deleted and created anew (its ids start
    /// over): the feed then starts from the new stream's beginning rather than skip everything up to that position.
    /// </remarks>
    public async IAsyncEnumerable<HeraldEvent> FollowAsync(long afterId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        if (afterId > FollowedThrough && afterId > (await GetBoundsAsync(cancellationToken).ConfigureAwait(false)).LastId)
        {
            Log.FollowedFromNewStream(_logger, _options.EventsStream, afterId);
            afterId = 0;
        }

        await foreach (var e in Volatile.Read(ref _feed).FollowAsync(afterId, cancellationToken).ConfigureAwait(false))
        {
            yield return e;
        }
    }

    /// <inheritdoc />
    public async ValueTask<EventStoreBounds> GetBoundsAsync(CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        var info = await GetInfoAsync(cancellationToken).ConfigureAwait(false);
        var state = info.State;
        return new EventStoreBounds(state.Messages == 0 ? 0 : (long)state.FirstSeq, (long)state.LastSeq);
    }

    /// <inheritdoc />
    public async ValueTask<HeraldEvent?> GetAsync(long id, CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        if (id <= 0)
        {
            return null;
        }

        if (await CatchUpAsync(cancellationToken).ConfigureAwait(false) && _cache.TryGet(id) is { } cached)
        {
            return cached;
        }

        try
        {
            var stream = await JetStream.GetStreamAsync(_options.EventsStream, cancellationToken: cancellationToken).ConfigureAwait(false);
            var response = await stream.GetAsync(new StreamMsgGetRequest { Seq = (ulong)id }, cancellationToken).ConfigureAwait(false);
            var message = response.Message;
            return NatsSubjects.TopicOf(_prefix, message.Subject) is { } topic
                ? Envelope.ReadEvent(id, topic, message.Data, storedAt: null)
                : null;
        }
        catch (NatsJSApiException ex) when (ex.Error.Code == 404)
        {
            return null;
        }
        catch (Exception ex) when (NatsFailure.IsUnavailable(ex, cancellationToken))
        {
            throw Unavailable("read an event", ex);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _state, 2) == 2)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _tail.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        Volatile.Read(ref _feed).Complete();
        _stopping.Dispose();
    }

    /// <summary>
    /// Waits until the tail has followed everything this node appended, so a read after a publish sees it (from the
    /// cache); false when the cache is off or the tail did not catch up in time, and the read should go to the stream.
    /// </summary>
    private async ValueTask<bool> CatchUpAsync(CancellationToken cancellationToken)
    {
        if (!_cache.Enabled)
        {
            return false;
        }

        var appended = Volatile.Read(ref _appendedThrough);
        if (FollowedThrough >= appended)
        {
            return true;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AttemptTimeout);
        try
        {
            await _followed.WaitAsync((ulong)appended, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private StreamConfig StreamConfig() => new(_options.EventsStream, [NatsSubjects.AllEvents(_prefix)])
    {
        Retention = StreamConfigRetention.Limits,
        Storage = _options.Storage == JetStreamStorage.Memory ? StreamConfigStorage.Memory : StreamConfigStorage.File,
        NumReplicas = _options.Replicas,
        MaxMsgs = _options.MaxEvents ?? -1,
        MaxBytes = _options.MaxBytes ?? -1,
        MaxAge = _options.MaxAge ?? TimeSpan.Zero,
        MaxMsgsPerSubject = -1,
        Discard = StreamConfigDiscard.Old,
        DuplicateWindow = _options.DuplicateWindow,
        AllowDirect = true,
    };

    private async Task<StreamInfo> GetInfoAsync(CancellationToken cancellationToken)
    {
        try
        {
            var stream = await JetStream.GetStreamAsync(_options.EventsStream, cancellationToken: cancellationToken).ConfigureAwait(false);
            return stream.Info;
        }
        catch (Exception ex) when (NatsFailure.IsUnavailable(ex, cancellationToken))
        {
            throw Unavailable("read the stream's state", ex);
        }
    }

    private EventStoreUnavailableException Unavailable(string what, Exception ex)
        => new($"Herald could not {what} in NATS stream {_options.EventsStream}: {ex.Message}", ex);

    private void ThrowIfNotReady()
    {
        ObjectDisposedException.ThrowIf(_state == 2, this);
        if (_state != 1)
        {
            throw new InvalidOperationException("InitializeAsync has not completed.");
        }
    }
}
