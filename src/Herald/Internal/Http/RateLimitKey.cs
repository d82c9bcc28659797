using Herald.Internal.Connections;

namespace Herald.Internal.Http;

/// <summary>Whose requests share a rate limit bucket: an authenticated user's, by subject, else those of one address.</summary>
internal readonly record struct RateLimitKey(string? Subject, AddressKey Address);
