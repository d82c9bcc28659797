using System.Text;
using Herald.JetStream.Internal;

namespace Herald.JetStream.Tests;

public sealed class EventCacheTests
{
    [Fact]
    public void TheCacheAnswersOnlyRangesItCoversWholeAndDropsTheOldestPastItsCountOrBytes()
    {
        // A small event costs about 216 bytes here, the large one about 9,200.
        var cache = new EventCache(capacity: 3, maxBytes: 9_500);
        cache.Reset(0);
        cache.Add([Event(1, 10), Event(2, 10), Event(3, 10), Event(4, 10)]);

        Assert.Null(cache.TryRead(new EventQuery(0, 10, []), through: 4));
        Assert.Equal([2L, 3, 4], cache.TryRead(new EventQuery(1, 10, []), through: 4)!.Events.Select(e => e.Id));

        cache.Add([Event(5, 9_000)]);

        Assert.Null(cache.TryRead(new EventQuery(2, 10, []), through: 5));
        Assert.Equal([4L, 5], cache.TryRead(new EventQuery(3, 10, []), through: 5)!.Events.Select(e => e.Id));
        Assert.Null(cache.TryGet(3));
        Assert.Equal(5, cache.TryGet(5)!.Id);
    }

    [Fact]
    public void AnEventLargerThanTheWholeCacheLeavesItCoveringOnlyWhatComesAfter()
    {
        var cache = new EventCache(capacity: 10, maxBytes: 2_000);
        cache.Reset(0);
        cache.Add([Event(1, 10), Event(2, 5_000), Event(3, 10)]);

        Assert.Null(cache.TryRead(new EventQuery(1, 10, []), through: 3));
        var page = cache.TryRead(new EventQuery(2, 10, []), through: 3)!;
        Assert.Equal([3L], page.Events.Select(e => e.Id));
        Assert.True(page.ReachedEnd);
    }

    private static HeraldEvent Event(long id, int size)
        => new(id, "t", "x", DateTimeOffset.UnixEpoch, null, Encoding.UTF8.GetBytes("\"" + new string('a', size) + "\""));
}
