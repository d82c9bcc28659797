using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Herald.Internal.Diagnostics;
using Herald.Internal.Http;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Herald.Internal.Transports.Direct;

/// <summary>
/// A Kestrel listener on a TCP endpoint that looks at each accepted connection's first bytes before Kestrel
/// does. A plain WebSocket handshake for Herald's path runs straight on the socket: no pipes and no Kestrel
/// connection, the least an idle subscriber can hold. Anything else becomes Kestrel's own socket connection,
/// with nothing read from it, and goes through the HTTP layer as usual (where
/// <see cref="DirectWebSocketMiddleware"/> still takes handshakes that arrive in pieces).
/// </summary>
internal sealed partial class DirectSocketListener : IConnectionListener
{
    /// <summary>How long to wait after accept fails for want of descriptors or memory; it clears only as connections close.</summary>
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly Socket _listenSocket;
    private readonly SocketConnectionContextFactory _contexts;
    private readonly WebSocketEndpoint _endpoint;
    private readonly HttpConnectionLimit _httpLimit;
    private readonly HeadLimits _limits;
    private readonly ILogger _logger;
    private readonly byte[] _requestLinePrefix;
    private readonly bool _noDelay;
    private readonly CancellationTokenSource _unbinding = new();
    private readonly SocketSendQueue[] _sendQueues;
    private int _nextSendQueue;

    // Kestrel's accept loop takes connections from here as fast as they come; the bound only matters if it stalls.
    private readonly Channel<ConnectionContext> _forKestrel = Channel.CreateBounded<ConnectionContext>(new BoundedChannelOptions(1024) { SingleReader = true });
    private readonly Task _acceptLoop;

    private DirectSocketListener(Socket listenSocket, SocketConnectionContextFactory contexts, WebSocketEndpoint endpoint, HttpConnectionLimit httpLimit, HeadLimits limits, ILogger logger, string path, bool noDelay, int sendQueues)
    {
        _httpLimit = httpLimit;
        _limits = limits;
        _sendQueues = [.. Enumerable.Range(0, sendQueues).Select(_ => new SocketSendQueue())];
        _listenSocket = listenSocket;
        _contexts = contexts;
        _endpoint = endpoint;
        _logger = logger;
        _requestLinePrefix = Encoding.ASCII.GetBytes("GET " + path);
        _noDelay = noDelay;
        EndPoint = listenSocket.LocalEndPoint!;
        _acceptLoop = AcceptLoopAsync();
    }

    public EndPoint EndPoint { get; }

    /// <summary>Binds <paramref name="endpoint"/> the way Kestrel's socket transport does and starts accepting.</summary>
    public static DirectSocketListener Bind(EndPoint endpoint, SocketTransportOptions options, KestrelServerLimits kestrel, WebSocketEndpoint webSockets, HttpConnectionLimit httpLimit, ILoggerFactory loggerFactory, string path)
    {
        Socket socket;
        try
        {
            socket = options.CreateBoundListenSocket(endpoint);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new AddressInUseException(ex.Message, ex);
        }

        socket.Listen(options.Backlog);
        var contexts = new SocketConnectionContextFactory(
            new SocketConnectionFactoryOptions
            {
                IOQueueCount = options.IOQueueCount,
                WaitForDataBeforeAllocatingBuffer = options.WaitForDataBeforeAllocatingBuffer,
                MaxReadBufferSize = options.MaxReadBufferSize,
                MaxWriteBufferSize = options.MaxWriteBufferSize,
                UnsafePreferInlineScheduling = options.UnsafePreferInlineScheduling,
            },
            loggerFactory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets"));
        // As many send queues as Kestrel gives its own connections (at least one).
        return new DirectSocketListener(socket, contexts, webSockets, httpLimit, HeadLimits.From(kestrel), webSockets.Logger, path, options.NoDelay, Math.Max(1, options.IOQueueCount));
    }

    /// <summary>The next connection for Kestrel's HTTP layer; null once unbound.</summary>
    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        while (await _forKestrel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (_forKestrel.Reader.TryRead(out var connection))
            {
                return connection;
            }
        }

        return null;
    }

    public async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        await _unbinding.CancelAsync().ConfigureAwait(false);
        _listenSocket.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        _forKestrel.Writer.TryComplete();
    }

    public async ValueTask DisposeAsync()
    {
        await UnbindAsync().ConfigureAwait(false);
        while (_forKestrel.Reader.TryRead(out var connection))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        _contexts.Dispose();
        _unbinding.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        // Off the caller's thread: Bind returns at once.
        await Task.Yield();
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listenSocket.AcceptAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (_unbinding.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
                // Gone before it was accepted.
                continue;
            }
            catch (SocketException ex)
            {
                // Out of descriptors or memory: waiting beats spinning, the condition clears only as connections close.
                Log.AcceptFailed(_logger, EndPoint, ex.SocketErrorCode);
                await Task.Delay(AcceptRetryDelay, _endpoint.Time).ConfigureAwait(false);
                continue;
            }

            // Until it is taken or handed on, the connection counts towards its address's HTTP connections.
            if (_httpLimit.TryAcquire((socket.RemoteEndPoint as IPEndPoint)?.Address) is not { } lease)
            {
                socket.Dispose();
                continue;
            }

            socket.NoDelay = _noDelay;
            _ = HandleAsync(socket, lease);
        }
    }
}
