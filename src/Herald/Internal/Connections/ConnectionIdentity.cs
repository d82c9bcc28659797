using System.Net;

namespace Herald.Internal.Connections;

/// <summary>Who a new connection is: its session (<c>"sse"</c> for streams, which have none), address and user agent.</summary>
internal readonly record struct ConnectionIdentity(string SessionId, IPAddress? RemoteAddress, string? UserAgent);
