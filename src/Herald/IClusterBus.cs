namespace Herald;

/// <summary>
/// The hubs' control channel: how a command that concerns connections wherever they are (a broadcast message,
/// closing a connection, listing connections) reaches every node of a cluster. Events and direct messages do not
/// travel here: they go through the log (<see cref="IEventStore"/>) and the session store (<see cref="ISessionStore"/>).
/// </summary>
/// <remarks>
/// <para>Implementations: <see cref="InProcessClusterBus"/> (the default: one node, or several hubs in one process
/// sharing one instance), and a NATS subject in a cluster. Delivery is best effort, at most once per subscriber, in
/// order per sender: a node that is down or cut off misses what was sent meanwhile, which suits commands about live
/// connections (that node's connections are gone too).</para>
/// </remarks>
public interface IClusterBus : IAsyncDisposable
{
    /// <summary>Connects to the channel; called once before any other member.</summary>
    /// <param name="cancellationToken">Cancels the start-up.</param>
    ValueTask InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Sends <paramref name="message"/> to every subscriber, this node's included.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    ValueTask PublishAsync(ClusterMessage message, CancellationToken cancellationToken);

    /// <summary>Every message published from now on, until cancelled (then <see cref="OperationCanceledException"/>) or disposed (then the enumeration ends).</summary>
    /// <param name="cancellationToken">Ends the subscription.</param>
    IAsyncEnumerable<ClusterMessage> SubscribeAsync(CancellationToken cancellationToken);
}
