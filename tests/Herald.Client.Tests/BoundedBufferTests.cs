namespace Herald.Client.Tests;

public sealed class BoundedBufferTests
{
    [Fact]
    public void WhenFullTheOldestItemsAreDroppedAndCounted()
    {
        var buffer = new BoundedBuffer<int>(capacity: 3);

        for (var i = 1; i <= 5; i++)
        {
            buffer.Add(i);
        }

        Assert.Equal(2, buffer.Dropped);
        Assert.Equal([3, 4, 5], buffer.Drain());
        Assert.Empty(buffer.Drain());
    }

    [Fact]
    public void DefaultCapacityIsTenThousand()
    {
        Assert.Equal(10_000, new BoundedBuffer<int>().Capacity);
    }

    [Fact]
    public async Task DrainingFromAnotherThreadWhileItemsStreamLosesNothingButTheCountedDrops()
    {
        const int total = 200_000;
        var buffer = new BoundedBuffer<int>(capacity: 1000);
        var drained = new List<int>();
        var producing = Task.Run(() =>
        {
            for (var i = 0; i < total; i++)
            {
                buffer.Add(i);
            }
        });
        var draining = Task.Run(async () =>
        {
            while (!producing.IsCompleted)
            {
                drained.AddRange(buffer.Drain());
                await Task.Yield();
            }

            drained.AddRange(buffer.Drain());
        });

        await Task.WhenAll(producing, draining).WaitAsync(Herald.Testing.Timeouts.Default);

        Assert.Equal(total, drained.Count + buffer.Dropped);
        Assert.True(drained.SequenceEqual(drained.Order()), "items were drained out of order");
        Assert.Equal(total - 1, drained[^1]);
    }

    [Fact]
    public async Task AWaitingReaderWakesOnAddAndEndsOnComplete()
    {
        var buffer = new BoundedBuffer<string>();
        var waiting = buffer.WaitToReadAsync(TestServers.Bounded()).AsTask();
        Assert.False(waiting.IsCompleted);

        buffer.Add("x");
        Assert.True(await waiting.WaitAsync(Herald.Testing.Timeouts.Default));
        Assert.True(buffer.TryTake(out var item));
        Assert.Equal("x", item);

        var ending = buffer.WaitToReadAsync(TestServers.Bounded()).AsTask();
        buffer.Complete();
        Assert.False(await ending.WaitAsync(Herald.Testing.Timeouts.Default));
    }

    [Fact]
    public async Task TheClientBufferDropsTheOldestEventsAndCountsThem()
    {
        await using var server = await TestServers.StartAsync();
        var options = TestServers.Options(server);
        options.BufferCapacity = 3;
        await using var client = new HeraldClient(options);
        var delivered = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.OnEvent += (_, _) =>
        {
            if (Interlocked.Increment(ref delivered) == 10)
            {
                all.TrySetResult();
            }
        };
        await client.ConnectAsync(TestServers.Bounded());

        var ids = await client.PublishAsync([.. Enumerable.Range(0, 10).Select(i => new OutgoingEvent("t", "x", Json.Of($"{i}")))], TestServers.Bounded());
        await all.Task.WaitAsync(Herald.Testing.Timeouts.Default);

        Assert.Equal(7, client.DroppedCount);
        Assert.Equal(ids.Skip(7), client.Drain().Select(e => e.Id));
    }
}
