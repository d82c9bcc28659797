using System.Net;
using Herald.Internal.Security;

namespace Herald.Internal.Connections;

/// <summary>
/// Who a new connection is: its session (<c>"sse"</c> for streams, which have none), the user it acts for, address,
/// user agent, and the HTTP request that opened it (its trace identifier; null for sockets taken below HTTP, which use
/// the connection id).
/// </summary>
internal readonly record struct ConnectionIdentity(string SessionId, HeraldUser User, IPAddress? RemoteAddress, string? UserAgent, string? RequestId = null);
