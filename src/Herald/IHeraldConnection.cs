using System.Collections.Concurrent;
using System.Net;

namespace Herald;

/// <summary>One open WebSocket connection, as the application sees it.</summary>
public interface IHeraldConnection
{
    /// <summary>The hub-assigned connection id (also sent in the <c>welcome</c> frame).</summary>
    string Id { get; }

    /// <summary>The session this connection belongs to.</summary>
    string SessionId { get; }

    /// <summary>The authenticated user (its subject), or <see langword="null"/> while authentication is off.</summary>
    string? UserId { get; }

    /// <summary>When the connection was accepted, in UTC.</summary>
    DateTimeOffset ConnectedAt { get; }

    /// <summary>When the client last sent a frame (or connected), in UTC.</summary>
    DateTimeOffset LastSeen { get; }

    /// <summary>The client's address, when known.</summary>
    IPAddress? RemoteAddress { get; }

    /// <summary>The client's <c>User-Agent</c> header, when sent.</summary>
    string? UserAgent { get; }

    /// <summary>The topic patterns this connection is subscribed to (a snapshot).</summary>
    IReadOnlyList<string> Subscriptions { get; }

    /// <summary>Application-defined values: read and update them from any thread.</summary>
    ConcurrentDictionary<string, object?> Items { get; }
}
