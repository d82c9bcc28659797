using Herald.Internal.Connections;
using Herald.Internal.Diagnostics;
using Herald.Internal.Protocol;

namespace Herald.Internal.Sessions;

/// <summary>
/// A session attached to a connection on this node. Its mailbox is delivered first, in order; once it is empty,
/// direct messages sent on this node go straight to the socket (the local fast path). A message queued while the
/// mailbox is being delivered, or by another node, sends it back to the mailbox until that is empty again.
/// </summary>
internal sealed class AttachedSession(HeraldConnection connection, long revision, MailboxServices mailboxes)
{
    private const int PageSize = 100;

    // Guarded by 'this' rather than a lock object of its own: every connection has one of these, and a lock object
    // would cost each idle subscriber its size again.
    private bool _started;
    private bool _live;
    private bool _draining;
    private bool _pending;
    private bool _ended;
    private long _cursor;

    public HeraldConnection Connection { get; } = connection;

    public string Id => Connection.SessionId;

    /// <summary>The record revision this node wrote when the connection joined; older changes are not news.</summary>
    public long Revision { get; } = revision;

    /// <summary>Starts delivering the mailbox; the connection's <c>welcome</c> is already queued.</summary>
    public void Start()
    {
        lock (this)
        {
            _started = true;
        }

        NotifyQueued();
    }

    /// <summary>Sends <paramref name="frame"/> straight to the socket when the mailbox is delivered and nothing waits in it.</summary>
    public bool TryDeliverLive(byte[] frame)
    {
        lock (this)
        {
            return _live && !_ended && Connection.SendMessage(frame);
        }
    }

    /// <summary>Something was queued in the mailbox: deliver it (again) before any live message.</summary>
    public void NotifyQueued()
    {
        lock (this)
        {
            if (_ended)
            {
                return;
            }

            if (!_started || _draining)
            {
                _pending = true;
                return;
            }

            _draining = true;
            _live = false;
            _pending = false;
        }

        _ = DrainAsync();
    }

    /// <summary>The connection left or lost the session; nothing more is delivered to it.</summary>
    public void End()
    {
        lock (this)
        {
            _ended = true;
            _live = false;
        }
    }

    private async Task DrainAsync()
    {
        try
        {
            while (true)
            {
                var page = await mailboxes.Store.ReadQueueAsync(Id, _cursor, PageSize, CancellationToken.None).ConfigureAwait(false);
                var cutoff = mailboxes.Time.GetUtcNow() - mailboxes.Options.SessionMessageTtl;
                var delivered = _cursor;
                var stopped = false;
                foreach (var message in page)
                {
                    if (message.Time >= cutoff && !Connection.SendMessage(ServerFrames.Message(message.Data.Span)))
                    {
                        // The connection is closing: what is left waits in the mailbox for the next one.
                        stopped = true;
                        break;
                    }

                    delivered = message.Sequence;
                }

                if (delivered > _cursor)
                {
                    _cursor = delivered;
                    await mailboxes.Store.RemoveQueuedAsync(Id, delivered, CancellationToken.None).ConfigureAwait(false);
                }

                lock (this)
                {
                    if (stopped || _ended)
                    {
                        _draining = false;
                        return;
                    }

                    if (page.Count < PageSize && !_pending)
                    {
                        _draining = false;
                        _live = true;
                        return;
                    }

                    _pending = false;
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The messages stay queued; the next notification (or the next connection) tries again.
            Log.SessionDeliveryFailed(mailboxes.Logger, Id, ex);
            lock (this)
            {
                _draining = false;
            }
        }
    }
}
