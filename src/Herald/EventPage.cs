namespace Herald;

/// <summary>One page of stored events.</summary>
/// <param name="Events">Matching events in id order; may be empty even when more follow.</param>
/// <param name="ScannedThroughId">
/// The highest id the store looked at for this page, matching or not. The next page starts after it, so
/// a sparse topic never makes one read scan the whole store.
/// </param>
/// <param name="ReachedEnd">True when no stored event has an id greater than <paramref name="ScannedThroughId"/>.</param>
public sealed record EventPage(IReadOnlyList<HeraldEvent> Events, long ScannedThroughId, bool ReachedEnd);
