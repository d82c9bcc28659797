using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Herald.Testing;
using Herald.Internal.Transports.Direct;

namespace Herald.Tests;

/// <summary>Held writes go out with the next unheld one, in order, and never pile up past the hold limit.</summary>
public sealed class CoalescingStreamTests
{
    [Fact]
    public async Task SocketStreamSendsHeldWritesTogetherWithTheNextOne()
    {
        var (stream, peer) = await ConnectedPairAsync();
        await using (stream)
        using (peer)
        {
            stream.HoldWrites = true;
            await stream.WriteAsync("ab"u8.ToArray());
            await stream.WriteAsync("cd"u8.ToArray());

            // Nothing is queued for sending while the writer holds, so nothing arrives.
            Assert.False(peer.Poll(TimeSpan.FromMilliseconds(100), SelectMode.SelectRead));

            stream.HoldWrites = false;
            await stream.WriteAsync("ef"u8.ToArray());

            Assert.Equal("abcdef"u8.ToArray(), await ReceiveAsync(peer, 6));
        }
    }

    [Fact]
    public async Task SocketStreamSendsHeldBytesOnceTheyReachTheHoldLimit()
    {
        var (stream, peer) = await ConnectedPairAsync();
        await using (stream)
        using (peer)
        {
            var chunk = new byte[ICoalescingStream.HoldLimit / 2];
            stream.HoldWrites = true;
            chunk.AsSpan().Fill(1);
            await stream.WriteAsync(chunk);
            chunk.AsSpan().Fill(2);
            await stream.WriteAsync(chunk);

            var received = await ReceiveAsync(peer, chunk.Length * 2);
            Assert.All(received.AsSpan(0, chunk.Length).ToArray(), b => Assert.Equal(1, b));
            Assert.All(received.AsSpan(chunk.Length).ToArray(), b => Assert.Equal(2, b));
        }
    }

    [Fact]
    public async Task SocketStreamKeepsOrderAcrossManyWritesAndBufferGrowth()
    {
        var (stream, peer) = await ConnectedPairAsync();
        await using (stream)
        using (peer)
        {
            const int Writes = 5_000;
            var expected = new List<byte>();
            for (var i = 0; i < Writes; i++)
            {
                var data = new byte[1 + i % 300];
                data.AsSpan().Fill((byte)i);
                expected.AddRange(data);
                stream.HoldWrites = i % 7 != 6;
                await stream.WriteAsync(data).AsTask().WithTimeout();
            }

            stream.HoldWrites = false;
            await stream.WriteAsync("!"u8.ToArray());
            expected.Add((byte)'!');

            Assert.Equal(expected.ToArray(), await ReceiveAsync(peer, expected.Count));
        }
    }

    [Fact]
    public async Task WriterAtThePendingLimitKeepsGoingAsThePeerReads()
    {
        var (stream, peer) = await ConnectedPairAsync();
        await using (stream)
        using (peer)
        {
            // Writes this large meet the pending limit again and again, racing the send that makes room.
            const int Writes = 500;
            var chunk = CoalescingNetworkStream.MaxPending * 5 / 8;
            var reader = Task.Run(async () =>
            {
                var buffer = new byte[chunk];
                for (var i = 0; i < Writes; i++)
                {
                    var read = 0;
                    while (read < chunk)
                    {
                        var n = await peer.ReceiveAsync(buffer.AsMemory(read));
                        Assert.NotEqual(0, n);
                        read += n;
                    }

                    Assert.All(buffer, b => Assert.Equal((byte)i, b));
                }
            });

            var data = new byte[chunk];
            for (var i = 0; i < Writes; i++)
            {
                data.AsSpan().Fill((byte)i);
                await stream.WriteAsync(data).AsTask().WithTimeout();
            }

            await reader.WithTimeout(Timeouts.Long);
        }
    }

    [Fact]
    public async Task DisposingTheSocketStreamSendsWhatIsPendingBeforeClosing()
    {
        var (stream, peer) = await ConnectedPairAsync();
        using (peer)
        {
            var data = new byte[100_000];
            Random.Shared.NextBytes(data);
            await stream.WriteAsync(data);
            await stream.DisposeAsync();

            Assert.Equal(data, await ReceiveAsync(peer, data.Length));
            Assert.Equal(0, await peer.ReceiveAsync(new byte[1].AsMemory()).AsTask().WithTimeout());
        }
    }

    [Fact]
    public async Task WriterToAPeerThatStopsReadingWaitsAndDisposingFailsTheWaitAtOnce()
    {
        var (stream, peer) = await ConnectedPairAsync();
        using (peer)
        {
            // The peer never reads: once the kernel's buffers are full, pending bytes reach the limit and a write waits.
            var chunk = new byte[CoalescingNetworkStream.MaxPending / 4];
            Task write;
            var written = 0L;
            do
            {
                write = stream.WriteAsync(chunk).AsTask();
                written += chunk.Length;
                await Task.WhenAny(write, Task.Delay(200));
                if (write.IsCompleted)
                {
                    await write;
                }
            }
            while (write.IsCompleted && written < 512L * 1024 * 1024);

            Assert.False(write.IsCompleted, "writes never waited for the peer");

            await stream.DisposeAsync().AsTask().WithTimeout();

            await Assert.ThrowsAsync<ObjectDisposedException>(() => write.WithTimeout());
            await Assert.ThrowsAsync<IOException>(() => stream.WriteAsync(chunk).AsTask());
        }
    }

    [Fact]
    public async Task PipeStreamFlushesHeldWritesOnlyWithTheNextOne()
    {
        var pipe = new Pipe();
        await using var stream = new DuplexPipeStream(new DuplexPipe(new Pipe().Reader, pipe.Writer));

        stream.HoldWrites = true;
        await stream.WriteAsync("ab"u8.ToArray());
        await stream.WriteAsync("cd"u8.ToArray());
        Assert.False(pipe.Reader.TryRead(out _));

        stream.HoldWrites = false;
        await stream.WriteAsync("ef"u8.ToArray());

        var result = await pipe.Reader.ReadAsync().AsTask().WithTimeout();
        Assert.Equal("abcdef"u8.ToArray(), result.Buffer.ToArray());
    }

    [Fact]
    public async Task PipeStreamFlushesOnceHeldBytesWouldPassTheLimit()
    {
        var pipe = new Pipe();
        await using var stream = new DuplexPipeStream(new DuplexPipe(new Pipe().Reader, pipe.Writer));
        var chunk = new byte[ICoalescingStream.HoldLimit / 2 + 1];

        stream.HoldWrites = true;
        await stream.WriteAsync(chunk);
        Assert.False(pipe.Reader.TryRead(out _));
        await stream.WriteAsync(chunk);

        var result = await pipe.Reader.ReadAsync().AsTask().WithTimeout();
        Assert.Equal(chunk.Length * 2, result.Buffer.Length);
    }

    private static async Task<(CoalescingNetworkStream Stream, Socket Peer)> ConnectedPairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(listener.LocalEndPoint!).WithTimeout();
        var accepted = await listener.AcceptAsync().WithTimeout();
        accepted.NoDelay = true;
        return (new CoalescingNetworkStream(accepted, new SocketSendQueue()), client);
    }

    private static async Task<byte[]> ReceiveAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read)).AsTask().WithTimeout();
            Assert.NotEqual(0, n);
            read += n;
        }

        return buffer;
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;

        public PipeWriter Output => output;
    }
}
