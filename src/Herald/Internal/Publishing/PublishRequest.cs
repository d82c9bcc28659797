namespace Herald.Internal.Publishing;

/// <summary>One publish waiting to be stored: its events, and who to tell (null for a fire-and-forget publish).</summary>
internal sealed record PublishRequest(IReadOnlyList<NewEvent> Events, TaskCompletionSource<IReadOnlyList<HeraldEvent>>? Completion);
