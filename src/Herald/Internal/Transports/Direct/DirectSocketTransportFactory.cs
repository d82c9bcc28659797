using System.Net;
using Herald.Internal.Http;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Herald.Internal.Transports.Direct;

/// <summary>
/// Kestrel's transport for TCP endpoints when Herald takes WebSocket handshakes at accept time; other endpoints
/// (Unix sockets, named pipes) stay with the transports registered before it.
/// </summary>
internal sealed class DirectSocketTransportFactory(
    WebSocketEndpoint webSockets, HttpConnectionLimit httpLimit, IOptions<SocketTransportOptions> options, IOptions<KestrelServerOptions> kestrel, ILoggerFactory loggerFactory, string path)
    : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
        => new(DirectSocketListener.Bind(endpoint, options.Value, kestrel.Value.Limits, webSockets, httpLimit, loggerFactory, path));
}
