using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Herald.Internal.Transports;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace Herald.Internal.Http;

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

    private static readonly WebSocketCreationOptions SocketOptions = new() { IsServer = true, KeepAliveInterval = TimeSpan.Zero };

    private static readonly byte[] FullResponse = Response(StreamRequest.Full);

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
        using (var timeout = new CancellationTokenSource(HeadTimeout, endpoint.Hub.Time))
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

        return request is null ? next(connection) : RunAsync(connection, request);
    }

    /// <summary>
    /// Answers the handshake and runs the connection. Not async itself, so nothing of the request is kept
    /// for the connection's life: only the socket and Herald's state are.
    /// </summary>
    private Task RunAsync(ConnectionContext connection, UpgradeRequest request)
    {
        var hub = endpoint.Hub;
        var output = connection.Transport.Output;
        if (hub.IsFull)
        {
            // The answer a full hub gives to every attempt: ready-made, and nothing else is looked at.
            output.Write(FullResponse);
            return output.FlushAsync().AsTask();
        }

        if (!endpoint.Origins.IsAllowed(request.Origin, request.Host))
        {
            Log.OriginRejected(hub.Logger, request.Origin ?? "");
            return RefuseAsync(output, new Refusal(StatusCodes.Status403Forbidden, "Origin not allowed", "This origin is not in Herald:AllowedOrigins."));
        }

        var query = QueryHelpers.ParseQuery(request.Query);
        var check = StreamRequest.Check(hub, Value(query, "topics"), Value(query, "since"));
        if (check.Refusal is { } refusal)
        {
            return RefuseAsync(output, refusal);
        }

        var admission = hub.Sessions.Admit(Value(query, "session"), Value(query, "resume"));

        // Upgraded connections do not count towards Kestrel's HTTP connection limit; the hub's own limit applies.
        connection.Features.Get<IDecrementConcurrentConnectionCountFeature>()?.ReleaseConnection();

        // Not flushed here: the first frame (welcome, or the refusal of a session) flushes it with itself.
        output.Write(SwitchingProtocols(request.Key));
        var socket = WebSocket.CreateFromStream(new DuplexPipeStream(connection.Transport), SocketOptions);
        var remote = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        return endpoint.RunAsync(socket, admission, check.Filters!, check.Since, remote, request.UserAgent);
    }

    private static string? Value(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> query, string name)
        => query.TryGetValue(name, out var value) ? value.ToString() : null;

    private static byte[] SwitchingProtocols(string key)
    {
        // RFC 6455 §4.2.2: the accept value is base64(SHA-1(key + the protocol's GUID)).
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
        return Encoding.ASCII.GetBytes($"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: {accept}\r\n\r\n");
    }

    private static async Task RefuseAsync(PipeWriter output, Refusal refusal)
    {
        output.Write(Response(refusal));
        await output.FlushAsync().ConfigureAwait(false);
    }

    private static byte[] Response(Refusal refusal)
    {
        var body = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("title"u8, refusal.Title);
            json.WriteNumber("status"u8, refusal.Status);
            json.WriteString("detail"u8, refusal.Detail);
            json.WriteEndObject();
        }

        var head = $"HTTP/1.1 {refusal.Status} {ReasonPhrases.GetReasonPhrase(refusal.Status)}\r\nContent-Type: application/problem+json\r\nContent-Length: {body.WrittenCount}\r\nConnection: close\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(head), .. body.WrittenSpan];
    }
}
