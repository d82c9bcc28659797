namespace Herald;

/// <summary>The outcome of <see cref="ISessionStore.EnqueueAsync"/>.</summary>
/// <param name="Sequence">The queued message's <see cref="QueuedMessage.Sequence"/>.</param>
/// <param name="Dropped">How many older messages were dropped to keep the mailbox within its limit.</param>
/// <param name="Queued">How many messages the mailbox holds after the enqueue, this one included: at most the limit.</param>
public readonly record struct SessionEnqueueResult(long Sequence, int Dropped, int Queued);
