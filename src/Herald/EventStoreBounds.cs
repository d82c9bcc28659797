namespace Herald;

/// <summary>The range of ids a store holds.</summary>
/// <param name="FirstId">The oldest id still stored, or 0 when the store is empty.</param>
/// <param name="LastId">The newest id ever assigned (kept even after retention removes it), or 0 when none was.</param>
public readonly record struct EventStoreBounds(long FirstId, long LastId);
