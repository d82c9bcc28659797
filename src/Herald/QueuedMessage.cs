namespace Herald;

/// <summary>A direct message waiting in a session's mailbox.</summary>
/// <param name="Sequence">Its place in the mailbox: greater than zero and increasing in enqueue order (not necessarily by one).</param>
/// <param name="Time">When Herald accepted it, in UTC.</param>
/// <param name="Data">The message body as UTF-8 JSON.</param>
public sealed record QueuedMessage(long Sequence, DateTimeOffset Time, ReadOnlyMemory<byte> Data);
