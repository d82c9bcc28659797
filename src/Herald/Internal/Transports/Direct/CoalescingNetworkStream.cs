using System.Buffers;
using System.Net.Sockets;

namespace Herald.Internal.Transports.Direct;

/// <summary>
/// A socket's stream whose writes are gathered and sent later by a <see cref="SocketSendQueue"/>, the way Kestrel's
/// output pipe and IOQueue send, but with a buffer rented only while bytes wait: an idle connection holds none, and
/// a busy one sends everything that piled up since its last send in one system call. Sends do not block: a peer
/// that stops reading is waited for off the queue, and its writer waits once <see cref="MaxPending"/> bytes are
/// pending. Disposing sends what is pending first, unless the peer is not reading. Writes must not overlap;
/// <see cref="System.Net.WebSockets.WebSocket"/> already serializes its own.
/// </summary>
internal sealed partial class CoalescingNetworkStream : NetworkStream, ICoalescingStream
{
    /// <summary>Bytes a writer may have waiting before it waits too (a single larger write is taken whole).</summary>
    internal const int MaxPending = 64 * 1024;

    // Small, so a burst of sends to idle connections (heartbeats) costs little when the pool runs dry.
    private const int InitialBufferSize = 512;

    // Pending bytes are taken on a writer's thread and let go on a send queue's; the shared pool keeps arrays
    // per thread and per core, so bursts across idle connections would miss it and make garbage.
    private static readonly ArrayPool<byte> Buffers = ArrayPool<byte>.Create(MaxPending, 1024);

    private readonly SocketSendQueue _sendQueue;
    private readonly Lock _sync = new();
    private byte[]? _pending;
    private int _pendingCount;

    // Queued on the send queue or sending; one send at a time keeps the bytes in order.
    private bool _scheduled;
    private bool _waitingForPeer;
    private bool _failed;
    private bool _disposed;
    private TaskCompletionSource? _room;

    public CoalescingNetworkStream(Socket socket, SocketSendQueue sendQueue)
        : base(socket, ownsSocket: true)
    {
        _sendQueue = sendQueue;

        // Lets the send queue try a send and move on when the peer's window is full, instead of blocking.
        socket.Blocking = false;
    }

    public bool HoldWrites { get; set; }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        => AppendOrGetRoom(buffer.Span) is { } room ? WriteWhenRoomAsync(room, buffer, cancellationToken) : ValueTask.CompletedTask;

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Herald writes asynchronously.");

    public override void Write(ReadOnlySpan<byte> buffer) => throw new NotSupportedException("Herald writes asynchronously.");

    public override void WriteByte(byte value) => throw new NotSupportedException("Herald writes asynchronously.");

    protected override void Dispose(bool disposing)
    {
        if (!disposing)
        {
            base.Dispose(disposing);
            return;
        }

        bool closeNow;
        bool schedule = false;
        TaskCompletionSource? room;
        lock (_sync)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            room = _room;
            _room = null;
            if (!_scheduled && _pendingCount > 0 && !_failed)
            {
                _scheduled = schedule = true;
            }

            // A queued send runs without blocking and closes the socket after; a peer that is not reading is not waited for.
            closeNow = !_scheduled || _waitingForPeer || _failed;
        }

        room?.TrySetException(new ObjectDisposedException(nameof(CoalescingNetworkStream)));
        if (schedule)
        {
            _sendQueue.Schedule(this);
        }

        if (closeNow)
        {
            base.Dispose(true);
        }
    }

    /// <summary>
    /// Takes <paramref name="data"/> into the pending bytes and queues a send; or, when the pending bytes are at their
    /// limit, makes sure they are being sent and returns a task that completes once the send has taken them.
    /// </summary>
    private Task? AppendOrGetRoom(ReadOnlySpan<byte> data)
    {
        bool schedule;
        Task? room = null;
        lock (_sync)
        {
            if (_failed || _disposed)
            {
                throw new IOException("The connection is closed.");
            }

            if (_pendingCount > 0 && _pendingCount + data.Length > MaxPending)
            {
                room = (_room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                schedule = !_scheduled;
            }
            else
            {
                Append(data);

                // While the writer holds a run of frames, one send is queued for the run, at its end or at the hold limit.
                schedule = !_scheduled && !(HoldWrites && _pendingCount < ICoalescingStream.HoldLimit);
            }

            _scheduled |= schedule;
        }

        if (schedule)
        {
            _sendQueue.Schedule(this);
        }

        return room;
    }

    private async ValueTask WriteWhenRoomAsync(Task room, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        Task? next = room;
        while (next is not null)
        {
            await next.WaitAsync(cancellationToken).ConfigureAwait(false);
            next = AppendOrGetRoom(buffer.Span);
        }
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        var needed = _pendingCount + data.Length;
        if (_pending is null || _pending.Length < needed)
        {
            var larger = Buffers.Rent(Math.Max(needed, Math.Max(InitialBufferSize, (_pending?.Length ?? 0) * 2)));
            if (_pending is not null)
            {
                _pending.AsSpan(0, _pendingCount).CopyTo(larger);
                Buffers.Return(_pending);
            }

            _pending = larger;
        }

        data.CopyTo(_pending.AsSpan(_pendingCount));
        _pendingCount = needed;
    }
}
