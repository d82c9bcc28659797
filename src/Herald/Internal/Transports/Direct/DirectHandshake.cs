using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Herald.Internal.Diagnostics;
using Herald.Internal.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Herald.Internal.Security;

namespace Herald.Internal.Transports.Direct;

/// <summary>
/// Herald's answer to a WebSocket handshake read below the HTTP layer: the bytes to send back (the 101, or a
/// problem-details refusal) and, when accepted, what the connection runs with. One decision for every
/// place that takes handshakes directly.
/// </summary>
internal sealed class DirectHandshake
{
    private static readonly WebSocketCreationOptions SocketOptions = new() { IsServer = true, KeepAliveInterval = TimeSpan.Zero };

    private static readonly byte[] FullResponse = Response(StreamRequest.Full);

    private static readonly byte[] HostRefusedResponse = Response(HostCheck.Refused);

    private DirectHandshake(byte[] response, IReadOnlyList<TopicFilter>? filters = null, long? since = null, SessionRequest session = default, HeraldUser? user = null)
    {
        ResponseBytes = response;
        Filters = filters;
        Since = since;
        Session = session;
        User = user;
    }

    /// <summary>What to send first: the 101 when <see cref="Accepted"/>, else a complete refusal to close after.</summary>
    public byte[] ResponseBytes { get; }

    /// <summary>Whether the connection upgrades; a rejected session still upgrades, to hear why in a frame.</summary>
    public bool Accepted => Filters is not null;

    private IReadOnlyList<TopicFilter>? Filters { get; }

    private long? Since { get; }

    private SessionRequest Session { get; }

    private HeraldUser? User { get; }

    /// <summary>
    /// The same checks as <see cref="WebSocketEndpoint.HandleAsync"/> and the middleware before it: the host (as ASP.NET
    /// Core's host filtering decides it), room, origin, topics and resume position, then who
    /// the request is (<see cref="Authenticator"/>) and whether it may have those topics (<see cref="StreamAccess"/>).
    /// Completes at once while authentication is off.
    /// </summary>
    public static async ValueTask<DirectHandshake> DecideAsync(WebSocketEndpoint endpoint, UpgradeRequest request, IPAddress? remoteAddress)
    {
        if (!await endpoint.Hosts.IsAllowedAsync(request.Host).ConfigureAwait(false))
        {
            return new DirectHandshake(HostRefusedResponse);
        }

        if (endpoint.Connections.IsFull)
        {
            // The answer a full hub gives to every attempt: ready-made, and nothing else is looked at.
            return new DirectHandshake(FullResponse);
        }

        if (!endpoint.Origins.IsAllowed(request.Origin, request.Host))
        {
            Log.OriginRejected(endpoint.Logger, request.Origin ?? "");
            return new DirectHandshake(Response(new Refusal(StatusCodes.Status403Forbidden, "Origin not allowed", "This origin is not in Herald:AllowedOrigins.")));
        }

        var query = QueryHelpers.ParseQuery(request.Query);
        var topics = Value(query, "topics");
        var check = StreamRequest.Check(endpoint.Connections, remoteAddress, topics, Value(query, "since"));
        if (check.Refusal is { } refusal)
        {
            return new DirectHandshake(Response(refusal));
        }

        var auth = await endpoint.Authenticator.AuthenticateAsync(request.Authorization, request.Cookie, request.Query).ConfigureAwait(false);
        if (!auth.Succeeded)
        {
            return new DirectHandshake(Response(Refusal.Unauthorized(auth.Reason!)));
        }

        var (filters, forbidden) = StreamAccess.Authorize(auth.User!, check.Filters!, !string.IsNullOrEmpty(topics));
        if (forbidden is not null)
        {
            return new DirectHandshake(Response(forbidden));
        }

        return new DirectHandshake(SwitchingProtocols(request.Key), filters, check.Since, new SessionRequest(Value(query, "session"), Value(query, "resume")), auth.User);
    }

    /// <summary>Runs an accepted connection over <paramref name="stream"/>, after the 101 has been written to it.</summary>
    public Task RunAsync(WebSocketEndpoint endpoint, Stream stream, UpgradeRequest request, IPAddress? remoteAddress)
    {
        var socket = WebSocket.CreateFromStream(stream, SocketOptions);
        return endpoint.RunAsync(socket, stream as ICoalescingStream, Session, User!, Filters!, Since, remoteAddress, request.UserAgent);
    }

    private static string? Value(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> query, string name)
        => query.TryGetValue(name, out var value) ? value.ToString() : null;

    private static byte[] SwitchingProtocols(string key)
    {
        // RFC 6455 §4.2.2: the accept value is base64(SHA-1(key + the protocol's GUID)).
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
        return Encoding.ASCII.GetBytes($"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: {accept}\r\n\r\n");
    }

    /// <summary>A complete refusal: the status, a problem-details body, and <c>Connection: close</c>.</summary>
    public static byte[] Response(Refusal refusal)
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

        var challenge = refusal.Status == StatusCodes.Status401Unauthorized ? $"WWW-Authenticate: {Problems.Challenge}\r\n" : string.Empty;
        var head = $"HTTP/1.1 {refusal.Status} {ReasonPhrases.GetReasonPhrase(refusal.Status)}\r\nContent-Type: application/problem+json\r\n{challenge}Content-Length: {body.WrittenCount}\r\nConnection: close\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(head), .. body.WrittenSpan];
    }
}
