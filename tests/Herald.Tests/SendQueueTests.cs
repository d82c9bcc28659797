using Herald.Testing;
using Herald.Internal.Connections;

namespace Herald.Tests;

public sealed class SendQueueTests
{
    [Fact]
    public void ItemsComeOutInOrderAcrossGrowthAndWrapAround()
    {
        var queue = new SendQueue(10);
        var next = 0;
        var expected = 0;
        for (var round = 0; round < 5; round++)
        {
            // Fill past the first sizes, then drain part of it, so the ring wraps and grows from an offset.
            while (queue.TryWrite(next))
            {
                next++;
            }

            for (var i = 0; i < 7; i++)
            {
                Assert.True(queue.TryRead(out var item, out _));
                Assert.Equal(expected++, item);
            }
        }

        while (queue.TryRead(out var item, out _))
        {
            Assert.Equal(expected++, item);
        }

        Assert.Equal(next, expected);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void WritesPastTheCapacityAreRefused()
    {
        var queue = new SendQueue(3);

        Assert.True(queue.TryWrite("a"));
        Assert.True(queue.TryWrite("b"));
        Assert.True(queue.TryWrite("c"));

        Assert.False(queue.TryWrite("d"));
        Assert.Equal(3, queue.Count);
    }

    [Fact]
    public async Task WaitingReaderWakesOnTheFirstWrite()
    {
        var queue = new SendQueue(4);
        var wait = queue.WaitToReadAsync().AsTask();
        Assert.False(wait.IsCompleted);

        Assert.True(queue.TryWrite("a"));

        Assert.True(await wait.WithTimeout());
        Assert.True(queue.TryRead(out var item, out _));
        Assert.Equal("a", item);
    }

    [Fact]
    public async Task CompletedQueueStillHandsOverWhatItHoldsThenReportsTheEnd()
    {
        var queue = new SendQueue(4);
        queue.TryWrite("a");
        queue.Complete();

        Assert.False(queue.TryWrite("b"));
        Assert.True(await queue.WaitToReadAsync().AsTask().WithTimeout());
        Assert.True(queue.TryRead(out var item, out _));
        Assert.Equal("a", item);
        Assert.False(await queue.WaitToReadAsync().AsTask().WithTimeout());
    }

    [Fact]
    public async Task CompletingWakesAWaitingReaderWithTheEnd()
    {
        var queue = new SendQueue(4);
        var wait = queue.WaitToReadAsync().AsTask();

        queue.Complete();

        Assert.False(await wait.WithTimeout());
    }

    [Fact]
    public async Task WriterWaitingForRoomGoesOnOnceAnItemIsRead()
    {
        var queue = new SendQueue(1);
        queue.TryWrite("a");
        var write = queue.WriteAsync("b").AsTask();
        Assert.False(write.IsCompleted);

        Assert.True(queue.TryRead(out _, out _));

        await write.WithTimeout();
        Assert.True(queue.TryRead(out var item, out _));
        Assert.Equal("b", item);
    }

    [Fact]
    public async Task WriterWaitingForRoomFailsWhenTheQueueCompletes()
    {
        var queue = new SendQueue(1);
        queue.TryWrite("a");
        var write = queue.WriteAsync("b").AsTask();

        queue.Complete();

        await Assert.ThrowsAsync<InvalidOperationException>(() => write.WithTimeout());
    }

    [Fact]
    public async Task ManyWritersOneReaderLoseNothing()
    {
        const int Writers = 4;
        const int PerWriter = 20_000;
        var queue = new SendQueue(64);
        var reader = Task.Run(async () =>
        {
            var seen = new int[Writers];
            var total = 0;
            while (await queue.WaitToReadAsync())
            {
                while (queue.TryRead(out var item, out _))
                {
                    var (writer, sequence) = ((int, int))item;
                    Assert.Equal(seen[writer]++, sequence);
                    total++;
                }
            }

            return total;
        });

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                await queue.WriteAsync((w, i));
            }
        })).ToArray();
        await Task.WhenAll(writers).WithTimeout(Timeouts.Long);
        queue.Complete();

        Assert.Equal(Writers * PerWriter, await reader.WithTimeout(Timeouts.Long));
    }
}
