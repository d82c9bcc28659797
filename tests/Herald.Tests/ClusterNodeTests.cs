using Herald.Internal.Cluster;
using Herald.Internal.Connections;
using Herald.Internal.Diagnostics;
using Herald.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Herald.Tests;

public sealed class ClusterNodeTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ANodeSilentForThreeHelloIntervalsIsReportedLostOnceAndANodeThatSaidByeIsNot()
    {
        var time = new ManualTimeProvider(Start);
        var options = new HeraldOptions { NodeId = "a" };
        await using var bus = new InProcessClusterBus();
        var node = new ClusterNode(bus, new ConnectionRegistry(options, new HeraldMetrics(), time, NullLogger.Instance), options, time, NullLogger.Instance);
        var lost = new List<(string Node, DateTimeOffset LastHeard)>();
        node.NodeLost += (id, lastHeard) => lost.Add((id, lastHeard));
        await node.StartAsync(CancellationToken.None);
        try
        {
            await bus.PublishAsync(new ClusterMessage("hello", "ghost", "{}"u8.ToArray()), CancellationToken.None);
            await bus.PublishAsync(new ClusterMessage("hello", "leaver", "{}"u8.ToArray()), CancellationToken.None);
            await Timeouts.Until(() => node.Nodes.Count == 3, "node a hears both");
            await bus.PublishAsync(new ClusterMessage("bye", "leaver", "{}"u8.ToArray()), CancellationToken.None);
            await Timeouts.Until(() => node.Nodes.Count == 2, "node a hears the bye");

            time.Advance(TimeSpan.FromSeconds(14));
            node.ForgetSilentNodes();
            Assert.Empty(lost);

            time.Advance(TimeSpan.FromSeconds(2));
            node.ForgetSilentNodes();
            node.ForgetSilentNodes();

            Assert.Equal([("ghost", Start)], lost);
            Assert.Equal(["a"], node.Nodes);
        }
        finally
        {
            await node.StopAsync();
        }
    }
}
