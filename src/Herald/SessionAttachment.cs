namespace Herald;

/// <summary>Where a session is attached: one connection on one node of the whole hub.</summary>
/// <param name="NodeId">The node holding the connection (<see cref="HeraldOptions.NodeId"/>).</param>
/// <param name="ConnectionId">The connection's id, unique across the hub.</param>
/// <param name="Since">When it attached, in UTC.</param>
public sealed record SessionAttachment(string NodeId, string ConnectionId, DateTimeOffset Since);
