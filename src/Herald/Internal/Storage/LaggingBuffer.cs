using System.Threading.Channels;

namespace Herald.Internal.Storage;

/// <summary>
/// One follower's buffer in an in-process feed: bounded, and never blocks the writer. When it fills, it stops
/// taking items and completes, so its reader gets what it holds and then knows it fell behind.
/// </summary>
internal sealed class LaggingBuffer<T>(int capacity)
{
    private readonly Channel<T> _buffer = Channel.CreateBounded<T>(
        new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    public ChannelReader<T> Reader => _buffer.Reader;

    /// <summary>True once the buffer filled and an item was refused; set before the reader can see the completion.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>Buffers <paramref name="item"/>; called under the feed's lock, so by one writer at a time.</summary>
    public void Offer(T item)
    {
        if (!_buffer.Writer.TryWrite(item) && !Overflowed)
        {
            Overflowed = true;
            _buffer.Writer.TryComplete();
        }
    }

    /// <summary>No more items: the feed ended, with <paramref name="error"/> when it failed.</summary>
    public void End(Exception? error = null) => _buffer.Writer.TryComplete(error);
}
