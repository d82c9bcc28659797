using System.Buffers;
using System.IO.Pipelines;

namespace Herald.Internal.Transports.Direct;

/// <summary>
/// A connection's pipes as one stream for <see cref="System.Net.WebSockets.WebSocket.CreateFromStream(Stream, System.Net.WebSockets.WebSocketCreationOptions)"/>.
/// Zero-byte reads wait for data without holding a buffer; held writes go into the output pipe unflushed. Disposing
/// it leaves the pipes to their owner.
/// </summary>
internal sealed class DuplexPipeStream(IDuplexPipe pipe) : Stream, ICoalescingStream
{
    private readonly Stream _input = pipe.Input.AsStream(leaveOpen: true);
    private int _heldCount;

    public bool HoldWrites { get; set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _input.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _input.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (HoldWrites && _heldCount + buffer.Length <= ICoalescingStream.HoldLimit)
        {
            pipe.Output.Write(buffer.Span);
            _heldCount += buffer.Length;
            return ValueTask.CompletedTask;
        }

        _heldCount = 0;
        var flush = pipe.Output.WriteAsync(buffer, cancellationToken);
        return flush.IsCompletedSuccessfully && !flush.Result.IsCanceled ? ValueTask.CompletedTask : CompleteFlushAsync(flush);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        _heldCount = 0;
        return CompleteFlushAsync(pipe.Output.FlushAsync(cancellationToken)).AsTask();
    }

    public override void Flush() => throw new NotSupportedException("Herald writes asynchronously.");

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Herald reads asynchronously.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Herald writes asynchronously.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private static async ValueTask CompleteFlushAsync(ValueTask<FlushResult> flush)
    {
        if ((await flush.ConfigureAwait(false)).IsCanceled)
        {
            throw new OperationCanceledException("The write was canceled.");
        }
    }
}
