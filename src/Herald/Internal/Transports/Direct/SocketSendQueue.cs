using System.Collections.Concurrent;

namespace Herald.Internal.Transports.Direct;

/// <summary>
/// Runs the pending sends of many connections one after another on a single thread-pool item, as Kestrel's
/// IOQueue does. Sends wait their turn here rather than run inside each connection's writer, so a busy
/// connection's frames pile up into one system call, and at most one thread per queue is in the kernel sending.
/// </summary>
internal sealed class SocketSendQueue : IThreadPoolWorkItem
{
    private readonly ConcurrentQueue<CoalescingNetworkStream> _streams = new();
    private int _running;

    /// <summary>Queues <paramref name="stream"/>'s pending bytes to be sent.</summary>
    public void Schedule(CoalescingNetworkStream stream)
    {
        _streams.Enqueue(stream);
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        while (true)
        {
            while (_streams.TryDequeue(out var stream))
            {
                stream.SendPending();
            }

            Volatile.Write(ref _running, 0);

            // A stream queued after the last dequeue but before the flag dropped found it set and did not start a run.
            if (_streams.IsEmpty || Interlocked.Exchange(ref _running, 1) == 1)
            {
                return;
            }
        }
    }
}
