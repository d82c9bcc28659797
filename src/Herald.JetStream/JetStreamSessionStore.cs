using Herald.JetStream.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Herald.JetStream;

/// <summary>
/// Sessions in one NATS JetStream stream shared by every node: each session's record is the newest message on
/// <c>&lt;prefix&gt;.sessions.rec.&lt;id&gt;</c> (its stream sequence is the record's revision, written with
/// compare-and-set through <c>Nats-Expected-Last-Subject-Sequence</c>), and its mailbox the messages on
/// <c>&lt;prefix&gt;.sessions.mbox.&lt;id&gt;</c>. One stream, so every node's change feed sees a session's writes and
/// queued messages in the order they happened.
/// </summary>
/// <remarks>
/// <para>Deleting a record writes a tombstone that carries the record it deleted; creating one after it compares against
/// the tombstone. Each node keeps an in-memory copy of every record, fed by its change consumer, to find the sessions
/// to release or sweep without reading them all from NATS each time; what it then changes, it changes with
/// compare-and-set.</para>
/// <para>The stream keeps at most the mailbox limit plus one messages per subject, a bound the server enforces whatever
/// happens; older versions of a record are trimmed after each write.</para>
/// </remarks>
public sealed partial class JetStreamSessionStore : ISessionStore
{
    /// <summary>Wrong last sequence: a compare-and-set lost to another write.</summary>
    private const int WrongLastSequence = 10071;

    /// <summary>Sequence not found: a message to delete is already gone.</summary>
    private const int SequenceNotFound = 10043;

    /// <summary>Message delete failed: what a stream can answer instead when the message to delete is already gone.</summary>
    private const int MessageDeleteFailed = 10057;

    private readonly JetStreamConnection _connection;
    private readonly JetStreamOptions _options;
    private readonly int _maxQueued;
    private readonly ILogger _logger;
    private readonly OrderedReader _reader;
    private readonly string _prefix;
    private readonly SessionChangeFeed _changes = new();
    private readonly CancellationTokenSource _stopping = new();
    private INatsJSStream? _stream;
    private Task _follow = Task.CompletedTask;
    private int _state;

    /// <summary>Creates the store over <paramref name="connection"/>; nothing is sent until <see cref="InitializeAsync"/>.</summary>
    /// <param name="connection">The node's connection to NATS (shared with its event store and bus).</param>
    /// <param name="maxQueued">The most messages a mailbox holds (<see cref="HeraldOptions.SessionQueueLimit"/>, default 100); the stream's per-subject bound is one more.</param>
    /// <param name="logger">Where to log; nothing is logged when omitted.</param>
    public JetStreamSessionStore(JetStreamConnection connection, int maxQueued = 100, ILogger<JetStreamSessionStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxQueued);
        _connection = connection;
        _options = connection.Options;
        _maxQueued = maxQueued;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _prefix = _options.SubjectPrefix;
        _reader = new OrderedReader(connection.JetStream, _options.SessionsStream, _logger);
    }

    private NatsJSContext JetStream => _connection.JetStream;

    private INatsJSStream Stream => _stream ?? throw new InvalidOperationException("InitializeAsync has not completed.");

    /// <inheritdoc />
    /// <remarks>Connects, creates or updates the stream, and reads every record before it returns.</remarks>
    public async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_state == 2, this);
        if (_state == 1)
        {
            return;
        }

        await _connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var config = new StreamConfig(_options.SessionsStream, [NatsSubjects.AllSessions(_prefix)])
        {
            Retention = StreamConfigRetention.Limits,
            Storage = _options.Storage == JetStreamStorage.Memory ? StreamConfigStorage.Memory : StreamConfigStorage.File,
            NumReplicas = _options.Replicas,
            MaxMsgsPerSubject = _maxQueued + 1,
            MaxMsgs = -1,
            MaxBytes = -1,
            Discard = StreamConfigDiscard.Old,
            DuplicateWindow = TimeSpan.FromMinutes(2),
            AllowDirect = true,
        };
        var info = await StreamSetup.EnsureAsync(JetStream, config, _options.ConnectTimeout, _logger, cancellationToken).ConfigureAwait(false);
        _stream = await JetStream.GetStreamAsync(_options.SessionsStream, cancellationToken: cancellationToken).ConfigureAwait(false);
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (info.State.Messages == 0)
        {
            loaded.TrySetResult();
        }

        _follow = Task.Run(() => FollowChangesAsync(loaded, _stopping.Token), CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        await loaded.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
        _state = 1;
    }

    /// <inheritdoc />
    public async ValueTask<SessionRecord?> GetAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ThrowIfNotReady();
        var last = await ReadLastAsync(NatsSubjects.Record(_prefix, sessionId), cancellationToken).ConfigureAwait(false);
        return last is { Deleted: false } ? last.Value.Record : null;
    }

    /// <inheritdoc />
    public async ValueTask<SessionRecord?> TryWriteAsync(SessionRecord record, long expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ThrowIfNotReady();
        var subject = NatsSubjects.Record(_prefix, record.Id);
        ulong expected;
        if (expectedRevision == 0)
        {
            // A tombstone (or nothing) may be replaced by a new record; a live record may not.
            var last = await ReadLastAsync(subject, cancellationToken).ConfigureAwait(false);
            if (last is { Deleted: false })
            {
                return null;
            }

            expected = last?.Sequence ?? 0;
        }
        else
        {
            expected = (ulong)expectedRevision;
        }

        var revision = await CompareAndPublishAsync(subject, SessionRecordJson.Write(record), expected, cancellationToken).ConfigureAwait(false);
        if (revision is null)
        {
            return null;
        }

        if (expectedRevision == 0)
        {
            // A new owner never reads an old owner's messages: whatever was queued before the record is gone.
            await PurgeAsync(NatsSubjects.Mailbox(_prefix, record.Id), revision.Value, cancellationToken).ConfigureAwait(false);
        }

        TrimHistory(subject, revision.Value);
        return record with { Revision = (long)revision.Value };
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryDeleteAsync(string sessionId, long? expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ThrowIfNotReady();
        return await DeleteAsync(sessionId, expectedRevision, cancellationToken).ConfigureAwait(false) is not null;
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
            await _follow.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _changes.Complete();
        _stopping.Dispose();
    }

    /// <summary>Deletes the record (writing its tombstone) and its mailbox; null when there was none, else how many messages went with it.</summary>
    private async Task<int?> DeleteAsync(string sessionId, long? expectedRevision, CancellationToken cancellationToken)
    {
        var subject = NatsSubjects.Record(_prefix, sessionId);
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var last = await ReadLastAsync(subject, cancellationToken).ConfigureAwait(false);
            if (last is not { Deleted: false } current || (expectedRevision is { } expected && current.Sequence != (ulong)expected))
            {
                return null;
            }

            var tombstone = SessionRecordJson.Write(current.Record, deleted: true);
            if (await CompareAndPublishAsync(subject, tombstone, current.Sequence, cancellationToken).ConfigureAwait(false) is not { } deleted)
            {
                if (expectedRevision is not null)
                {
                    return null;
                }

                continue;
            }

            TrimHistory(subject, deleted);
            return (int)await PurgeAsync(NatsSubjects.Mailbox(_prefix, sessionId), deleted, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>The newest message on a record's subject: the record (or tombstone) and its sequence; null when there is none.</summary>
    private async Task<(SessionRecord Record, bool Deleted, ulong Sequence)?> ReadLastAsync(string subject, CancellationToken cancellationToken)
    {
        if (await GetMessageAsync(new StreamMsgGetRequest { LastBySubj = subject }, "read a session", cancellationToken).ConfigureAwait(false) is not { } message)
        {
            return null;
        }

        var (record, deleted) = SessionRecordJson.Read(message.Data.Span, (long)message.Seq);
        return (record, deleted, message.Seq);
    }

    /// <summary>One message of the stream, or null when there is none such.</summary>
    private async Task<StoredMessage?> GetMessageAsync(StreamMsgGetRequest request, string what, CancellationToken cancellationToken)
    {
        try
        {
            // The stream leader answers (not a replica), so a read right after a write sees it.
            return (await Stream.GetAsync(request, cancellationToken).ConfigureAwait(false)).Message;
        }
        catch (NatsJSApiException ex) when (ex.Error.Code == 404)
        {
            return null;
        }
        catch (Exception ex) when (NatsFailure.IsUnavailable(ex, cancellationToken))
        {
            throw Unavailable(what, ex);
        }
    }

    /// <summary>Publishes if the subject's last sequence is still <paramref name="expected"/>; the new sequence, or null when another write came first.</summary>
    private async Task<ulong?> CompareAndPublishAsync(string subject, byte[] body, ulong expected, CancellationToken cancellationToken)
    {
        PubAckResponse ack;
        try
        {
            ack = await JetStream.PublishAsync(subject, body, opts: new NatsJSPubOpts { ExpectedLastSubjectSequence = expected }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (NatsFailure.IsUnavailable(ex, cancellationToken))
        {
            throw Unavailable("write a session", ex);
        }

        if (ack.Error is { } error)
        {
            return error.ErrCode == WrongLastSequence ? null : throw new EventStoreUnavailableException($"NATS refused a session write: {error.Description} (code {error.ErrCode}).");
        }

        return ack.Seq;
    }

    /// <summary>Removes a subject's messages below <paramref name="before"/> (all when 0); how many went.</summary>
    private async Task<ulong> PurgeAsync(string subject, ulong before, CancellationToken cancellationToken)
    {
        if (before == 1)
        {
            // Nothing is below the first sequence, but nats-server 2.9 reads a purge up to 1 as "everything".
            return 0;
        }

        try
        {
            var response = await Stream.PurgeAsync(new StreamPurgeRequest { Filter = subject, Seq = before }, cancellationToken).ConfigureAwait(false);
            return (ulong)response.Purged;
        }
        catch (Exception ex) when (NatsFailure.IsUnavailable(ex, cancellationToken))
        {
            throw Unavailable("remove session messages", ex);
        }
    }

    /// <summary>
    /// Drops a record's versions older than <paramref name="revision"/> in the background: the newest is the record, and
    /// nothing reads the others. By sequence, not with <c>keep: 1</c>: on nats-server 2.9 a purge with keep once removed a
    /// record's newest version instead, its tombstone, so the deleted record came back (later releases fixed several
    /// bugs in purging with keep).
    /// </summary>
    private void TrimHistory(string subject, ulong revision)
        => _ = Task.Run(async () =>
        {
            try
            {
                await PurgeAsync(subject, revision, _stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is EventStoreUnavailableException or OperationCanceledException or ObjectDisposedException)
            {
                // The stream's per-subject bound keeps the history short anyway.
            }
        });

    private EventStoreUnavailableException Unavailable(string what, Exception ex)
        => new($"Herald could not {what} in NATS stream {_options.SessionsStream}: {ex.Message}", ex);

    private void ThrowIfNotReady()
    {
        ObjectDisposedException.ThrowIf(_state == 2, this);
        if (_state != 1)
        {
            throw new InvalidOperationException("InitializeAsync has not completed.");
        }
    }
}
