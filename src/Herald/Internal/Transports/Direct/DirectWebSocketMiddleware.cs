using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using Herald.Internal.Http;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Herald.Internal.Transports.Direct;

/// <summary>
/// Kestrel connection middleware that takes WebSocket handshakes for Herald's path itself, below the HTTP
/// layer, so an upgraded connection holds only its socket, its pipes and Herald's state: no HTTP/1.1
/// connection, request, headers or response objects for its whole life. Everything else (REST, a request
/// that is not a plain valid handshake, TLS bytes) passes to the HTTP layer untouched.
/// </summary>
internal sealed class DirectWebSocketMiddleware(ConnectionDelegate next, WebSocketEndpoint endpoint, KestrelServerLimits kestrel, string path)
{
    private readonly byte[] _requestLinePrefix = Encoding.ASCII.GetBytes("GET " + path);

    /// <summary>Kestrel's limits, read once its options are final (when the listener starts).</summary>
    private readonly HeadLimits _limits = HeadLimits.From(kestrel);

    private static readonly byte[] TimedOut = DirectHandshake.Response(new Refusal(StatusCodes.Status408RequestTimeout, "Request timeout", "The request head did not arrive in time."));

    public async Task OnConnectionAsync(ConnectionContext connection)
    {
        // Two steps, so the handshake's state is let go once the connection runs.
        var run = await StartAsync(connection).ConfigureAwait(false);
        await run.ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the head of the first request and starts the WebSocket, or hands the connection on. As in Kestrel, the
    /// connection may stay silent for <c>KeepAliveTimeout</c> (then it is closed) and the head, once it begins, must
    /// arrive within <c>RequestHeadersTimeout</c> (else 408).
    /// </summary>
    private async Task<Task> StartAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        UpgradeRequest? request;
        using (var timeout = new CancellationTokenSource(_limits.KeepAliveTimeout, endpoint.Time))
        {
            var started = false;
            while (true)
            {
                ReadResult result;
                try
                {
                    result = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (started)
                {
                    connection.Transport.Output.Write(TimedOut);
                    return connection.Transport.Output.FlushAsync().AsTask();
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException)
                {
                    // Silent too long, aborted or reset: there is nobody to answer.
                    return Task.CompletedTask;
                }

                var buffer = result.Buffer;
                if (!started && !buffer.IsEmpty)
                {
                    started = true;
                    timeout.CancelAfter(_limits.RequestHeadersTimeout);
                }

                var parse = UpgradeRequest.TryParse(buffer, _requestLinePrefix, _limits, out request, out var headEnd);
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

        var handshake = await DirectHandshake.DecideAsync(endpoint, request, (connection.RemoteEndPoint as IPEndPoint)?.Address).ConfigureAwait(false);
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
