using Herald.Internal.Connections;
using Herald.Internal.Dispatch;

namespace Herald.Tests;

public sealed class ReplayStateTests
{
    [Fact]
    public void EventsNewerThanLiveDeliveryAreAlwaysReplayed()
    {
        var state = new ReplayState(since: 0, liveBefore: 10, [TopicFilter.Parse("old")], [TopicFilter.Parse("new")], capacity: 8);

        Assert.True(state.ShouldReplay(Event(11, "old")));
        Assert.True(state.ShouldReplay(Event(11, "new")));
    }

    [Fact]
    public void OlderEventsAreReplayedOnlyForTheNewPatternsNotCoveredByTheOld()
    {
        var state = new ReplayState(since: 0, liveBefore: 10, [TopicFilter.Parse("a/#")], [TopicFilter.Parse("+/x")], capacity: 8);

        Assert.False(state.ShouldReplay(Event(5, "a/y")));  // delivered live by the old pattern
        Assert.False(state.ShouldReplay(Event(5, "a/x")));  // both match: the old one delivered it live
        Assert.True(state.ShouldReplay(Event(5, "b/x")));   // only the new pattern matches
        Assert.False(state.ShouldReplay(Event(5, "c/y")));  // neither matches
    }

    [Fact]
    public void BufferedEventsAreTakenOnlyPastTheReplayedRange()
    {
        var state = new ReplayState(0, 0, [], [TopicFilter.All], capacity: 8);
        for (var id = 1; id <= 4; id++)
        {
            state.Buffer(new EventFrame(Event(id, "a")));
        }

        Assert.Equal([3L, 4], state.TakeBuffered(afterId: 2).Select(b => b.Id));
        Assert.Empty(state.TakeBuffered(afterId: 0));
    }

    [Fact]
    public void OverflowDropsTheBufferUntilReset()
    {
        var state = new ReplayState(0, 0, [], [TopicFilter.All], capacity: 2);
        state.Buffer(new EventFrame(Event(1, "a")));
        state.Buffer(new EventFrame(Event(2, "a")));
        Assert.False(state.Overflowed);

        state.Buffer(new EventFrame(Event(3, "a")));
        state.Buffer(new EventFrame(Event(4, "a")));

        Assert.True(state.Overflowed);
        Assert.Empty(state.TakeBuffered(0));
        state.Reset();
        Assert.False(state.Overflowed);
        state.Buffer(new EventFrame(Event(5, "a")));
        Assert.Equal([5L], state.TakeBuffered(0).Select(b => b.Id));
    }

    private static HeraldEvent Event(long id, string topic) => new(id, topic, "t", DateTimeOffset.UnixEpoch, null, default);
}
