using Herald.Internal.Http;
using Herald.Internal.Transports;
using Herald.Internal.Transports.Direct;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Hosting;

/// <summary>Serves Herald's WebSocket endpoint straight from a Kestrel listener.</summary>
public static class HeraldListenOptionsExtensions
{
    /// <summary>
    /// Takes WebSocket handshakes for <paramref name="path"/> on this listener below Kestrel's HTTP layer, so
    /// each subscriber holds only its socket and Herald's state instead of a whole HTTP/1.1 connection
    /// (about a third less memory per idle connection). Other requests, and handshakes that are not plain valid
    /// upgrades, go to the HTTP layer and <c>MapHerald()</c>'s endpoint unchanged. ASP.NET Core middleware and
    /// endpoint conventions do not run for connections taken here. Requires <c>AddHerald()</c>. On a TLS
    /// listener call it after <c>UseHttps</c>: called before, it sees encrypted bytes and passes every
    /// connection on.
    /// </summary>
    /// <param name="listenOptions">The listener.</param>
    /// <param name="path">The WebSocket path, as <c>MapHerald()</c> maps it. Default <c>/ws/events</c>.</param>
    /// <returns><paramref name="listenOptions"/>.</returns>
    public static ListenOptions UseHeraldWebSockets(this ListenOptions listenOptions, string path = "/ws/events")
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        ValidatePath(path);
        listenOptions.Use(next => new DirectWebSocketMiddleware(next, listenOptions.ApplicationServices.GetRequiredService<WebSocketEndpoint>(), listenOptions.KestrelServerOptions.Limits, path).OnConnectionAsync);
        return listenOptions;
    }

    /// <summary>
    /// Closes a new connection at once, unread, when its remote address already holds
    /// <see cref="Herald.HeraldOptions.MaxHttpConnectionsPerAddress"/> HTTP connections on the listeners that call this
    /// (an IPv6 address counts by its /64 prefix), so one address cannot take every HTTP slot and lock REST and health out
    /// for everyone. WebSockets and SSE streams stop counting once accepted; the hub's
    /// <see cref="Herald.HeraldOptions.MaxConnectionsPerAddress"/> counts them. Call it first on the listener, before
    /// <see cref="UseHeraldWebSockets"/> and <c>UseHttps</c>. Requires <c>AddHerald()</c>.
    /// </summary>
    /// <param name="listenOptions">The listener.</param>
    /// <returns><paramref name="listenOptions"/>.</returns>
    public static ListenOptions UseHeraldConnectionLimits(this ListenOptions listenOptions)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        listenOptions.Use(next => new AddressLimitMiddleware(next, listenOptions.ApplicationServices.GetRequiredService<HttpConnectionLimit>()).OnConnectionAsync);
        return listenOptions;
    }

    /// <summary>Throws unless <paramref name="path"/> can be matched against a request line as it is.</summary>
    internal static void ValidatePath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path[0] != '/' || path.Contains('?', StringComparison.Ordinal) || path.Contains(' ', StringComparison.Ordinal))
        {
            throw new ArgumentException("The path must start with '/' and hold no query or spaces.", nameof(path));
        }
    }
}
