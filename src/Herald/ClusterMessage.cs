namespace Herald;

/// <summary>A command or answer that one hub sends to the others over the <see cref="IClusterBus"/>.</summary>
/// <param name="Kind">What it is, such as <c>broadcast</c> or <c>close</c>; the hub defines the kinds.</param>
/// <param name="Sender">The sending node's <see cref="HeraldOptions.NodeId"/>.</param>
/// <param name="Body">Its content as UTF-8 JSON.</param>
public sealed record ClusterMessage(string Kind, string Sender, ReadOnlyMemory<byte> Body);
