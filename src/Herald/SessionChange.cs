namespace Herald;

/// <summary>One change a session store reports to its watchers (<see cref="ISessionStore.WatchAsync"/>).</summary>
/// <param name="Kind">What changed.</param>
/// <param name="SessionId">The session; empty for <see cref="SessionChangeKind.Reset"/>.</param>
/// <param name="Record">
/// The record as written, for <see cref="SessionChangeKind.Written"/>; the record as it was before, for
/// <see cref="SessionChangeKind.Deleted"/> (so a watcher can tell a deletion from a newer record that followed it);
/// otherwise <see langword="null"/>.
/// </param>
public readonly record struct SessionChange(SessionChangeKind Kind, string SessionId, SessionRecord? Record = null);
