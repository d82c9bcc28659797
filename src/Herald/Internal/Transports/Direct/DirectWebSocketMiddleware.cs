using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using Herald.Internal.Http;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Herald.Internal.Transports.Direct;

/// <summary>
/// Kestrel connection middleware that takes WebSocket handshakes for Herald's path itself, below the HTTP
/// layer, so an upgraded connection holds only its socket, its pipes and Herald's state: no HTTP/1.1
/// connection, request, headers or response objects for its whole life. Everything else (REST, a request
/// that is not a plain valid handshake, TLS bytes) passes to the HTTP layer untouched.
/// </summary>
internal sealed class DirectWebSocketMiddleware(ConnectionDelegate next, WebSocketEndpoint endpoint, string path)
{
    /// <summary>How long a new connection may take to send its first request head; Kestrel's default too.</summary>
    private static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(30);

    private readonly byte[] _requestLinePrefix = Encoding.ASCII.GetBytes("GET " + path);

    public async Task OnConnectionAsync(ConnectionContext connection)
    {
        // Two steps, so the handshake's state is let go once the connection runs.
        var run = await StartAsync(connection).ConfigureAwait(false);
        await run.ConfigureAwait(false);
    }

    /// <summary>Reads the head of the first request and starts the WebSocket, or hands the connection on.</summary>
    private async Task<Task> StartAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        UpgradeRequest? request;
        using (var timeout = new CancellationTokenSource(HeadTimeout, endpoint.Time))
        {
            while (true)
            {
                ReadResult result;
                try
                {
                    result = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException)
                {
                    // Too slow to send a head, aborted or reset: there is nobody to answer.
                    return Task.CompletedTask;
                }

                var buffer = result.Buffer;
                var parse = UpgradeRequest.TryParse(buffer, _requestLinePrefix, out request, out var headEnd);
                if (parse == UpgradeParse.NeedMore && !result.IsCompleted)
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                    continue;
                }

                if (parse != UpgradeParse.Ours)
                {
                    // Nothing consumed: the HTTP layer reads the same bytes.
                    input.AdvanceTo(buffer.Start);
                    break;
                }

                input.AdvanceTo(headEnd);
                break;
            }
        }

        if (request is null)
        {
            return next(connection);
        }

        var handshake = await DirectHandshake.DecideAsync(endpoint, request).ConfigureAwait(false);
        return RunAsync(connection, request, handshake);
    }

    /// <summary>
    /// Answers the handshake and runs the connection. Not async itself, so nothing of the request is kept
    /// for the connection's life: only the socket and Herald's state are.
    /// </summary>
    private Task RunAsync(ConnectionContext connection, UpgradeRequest request, DirectHandshake handshake)
    {
        var output = connection.Transport.Output;
        output.Write(handshake.ResponseBytes);
        if (!handshake.Accepted)
        {
            return output.FlushAsync().AsTask();
        }

        // Upgraded connections do not count towards Kestrel's HTTP connection limit; the hub's own limit applies.
        connection.Features.Get<IDecrementConcurrentConnectionCountFeature>()?.ReleaseConnection();

        // The 101 is not flushed here: the first frame (welcome, or the refusal of a session) flushes it with itself.
        var remote = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        return handshake.RunAsync(endpoint, new DuplexPipeStream(connection.Transport), request, remote);
    }
}
