using Herald.Internal.Http;
using Herald.Internal.Transports;
using Herald.Internal.Transports.Direct;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Hosting;

/// <summary>Serves Herald's WebSocket endpoint straight from accepted sockets.</summary>
public static class HeraldWebHostBuilderExtensions
{
    /// <summary>
    /// Replaces Kestrel's socket transport on TCP endpoints with one that looks at each new connection's first
    /// bytes: a complete, plain WebSocket handshake for <paramref name="path"/> runs on the bare socket, without
    /// Kestrel's pipes or connection state (the least memory an idle subscriber can cost); every other
    /// connection is handed to Kestrel's own socket connection with nothing read, and is served as usual.
    /// Kestrel's connection middleware, limits, metrics and ASP.NET Core middleware do not apply to connections
    /// taken here; the hub's <c>MaxConnections</c> and <c>MaxConnectionsPerAddress</c> do. Until a connection is taken or
    /// handed on it counts towards <c>MaxHttpConnectionsPerAddress</c>, and it is closed when it stays silent for
    /// Kestrel's <c>KeepAliveTimeout</c>, as Kestrel closes one; a head that arrives in pieces goes to Kestrel at once,
    /// under Kestrel's header limits and timeout. TLS connections always go to Kestrel. Use with
    /// <see cref="HeraldListenOptionsExtensions.UseHeraldWebSockets"/> on the listeners, which takes handshakes
    /// that arrive in pieces. Requires <c>AddHerald()</c>; <see cref="SocketTransportOptions"/> still apply, and
    /// <see cref="SocketTransportOptions.IOQueueCount"/> also sets how many send queues gather and send the frames
    /// of the connections taken here (at least one), the way Kestrel's IOQueues send for its own.
    /// </summary>
    /// <param name="builder">The web host builder.</param>
    /// <param name="path">The WebSocket path, as <c>MapHerald()</c> maps it. Default <c>/ws/events</c>.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IWebHostBuilder UseHeraldSockets(this IWebHostBuilder builder, string path = "/ws/events")
    {
        ArgumentNullException.ThrowIfNull(builder);
        HeraldListenOptionsExtensions.ValidatePath(path);

        // Kestrel asks the transports registered last first, so this one takes TCP endpoints.
        return builder.ConfigureServices(services => services.AddSingleton<IConnectionListenerFactory>(sp => new DirectSocketTransportFactory(
            sp.GetRequiredService<WebSocketEndpoint>(),
            sp.GetRequiredService<HttpConnectionLimit>(),
            sp.GetRequiredService<IOptions<SocketTransportOptions>>(),
            sp.GetRequiredService<IOptions<KestrelServerOptions>>(),
            sp.GetRequiredService<ILoggerFactory>(),
            path)));
    }
}
