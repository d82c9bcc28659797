namespace Herald.Client.Internal;

/// <summary>How one connection ended.</summary>
/// <param name="Welcomed">The server's welcome arrived on it.</param>
/// <param name="Terminal">Why the client must not reconnect; null to reconnect.</param>
internal readonly record struct ConnectionOutcome(bool Welcomed, string? Terminal);
