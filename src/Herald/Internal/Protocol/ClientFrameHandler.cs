using Herald.Internal.Connections;
using Herald.Internal.Diagnostics;
using Herald.Internal.Publishing;
using Herald.Internal.Security;
using Herald.Internal.Sessions;

namespace Herald.Internal.Protocol;

/// <summary>
/// Protocol v1's client frames (docs/protocol.md, "Client to server"): parses each one and does what it asks on
/// its connection, answering with the frame the protocol names, or an <c>error</c> frame. One instance serves
/// every connection; transports hand it whole text messages.
/// </summary>
internal sealed class ClientFrameHandler(SessionInboxes inboxes, EventAppender appender, Authenticator authenticator, HeraldOptions options, TimeProvider time, HeraldMetrics metrics)
{
    public async ValueTask HandleAsync(HeraldConnection connection, ReadOnlyMemory<byte> utf8)
    {
        var frame = ClientFrame.TryParse(utf8.Span, out var error, out var reference);
        if (frame is null)
        {
            metrics.InvalidFrames.Increment();
            connection.TrySend(ServerFrames.Error(ErrorCodes.BadRequest, error!, reference));
            return;
        }

        switch (frame.Type)
        {
            case "ping":
                connection.TrySend(ServerFrames.Pong(time.GetUtcNow(), frame.Ref));
                break;
            case "pong":
                break;
            case "subscribe":
                Subscribe(connection, frame);
                break;
            case "unsubscribe":
                Unsubscribe(connection, frame);
                break;
            case "message":
                inboxes.Add(connection.SessionId, frame.Data);
                if (!frame.Ref.IsEmpty)
                {
                    connection.TrySend(ServerFrames.Ack(frame.Ref));
                }

                break;
            case "publish":
                await PublishAsync(connection, frame).ConfigureAwait(false);
                break;
            case "auth":
                await AuthenticateAsync(connection, frame).ConfigureAwait(false);
                break;
            default:
                metrics.InvalidFrames.Increment();
                connection.TrySend(ServerFrames.Error(ErrorCodes.BadRequest, $"Invalid message format: unknown type '{frame.Type}'.", frame.Ref));
                break;
        }
    }

    private void Subscribe(HeraldConnection connection, ClientFrame frame)
    {
        if (!TryParseTopics(connection, frame, out var filters))
        {
            return;
        }

        if (SubscriptionLimits.Check(options, filters, connection.SubscriptionsWith(filters)) is { } refused)
        {
            connection.TrySend(ServerFrames.Error(refused.Code, refused.Message, frame.Ref));
            return;
        }

        if (StreamAccess.NotGranted(connection.User.Grants, filters) is { } denied)
        {
            connection.TrySend(ServerFrames.Error(ErrorCodes.Forbidden, $"You may not subscribe to '{denied.Pattern}': no herald.subscribe grant covers it.", frame.Ref));
            return;
        }

        if (frame.Since is { } since)
        {
            if (!connection.StartReplay(since, filters, frame.Ref))
            {
                connection.TrySend(ServerFrames.Error(ErrorCodes.Busy, "A replay is already running on this connection; subscribe again after its 'resumed' frame.", frame.Ref));
            }

            return;
        }

        connection.Subscribe(filters);
        connection.TrySend(ServerFrames.Subscription(subscribed: true, filters.Select(f => f.Pattern), frame.Ref));
    }

    private void Unsubscribe(HeraldConnection connection, ClientFrame frame)
    {
        if (!TryParseTopics(connection, frame, out var filters))
        {
            return;
        }

        connection.Unsubscribe(filters);
        connection.TrySend(ServerFrames.Subscription(subscribed: false, filters.Select(f => f.Pattern), frame.Ref));
    }

    private bool TryParseTopics(HeraldConnection connection, ClientFrame frame, out List<TopicFilter> filters)
    {
        filters = [];
        if (frame.Topics is not { Count: > 0 } topics)
        {
            metrics.InvalidFrames.Increment();
            connection.TrySend(ServerFrames.Error(ErrorCodes.BadRequest, $"Invalid message format: '{frame.Type}' needs a non-empty 'topics' array.", frame.Ref));
            return false;
        }

        foreach (var topic in topics)
        {
            if (!TopicFilter.TryParse(topic, out var filter, out var error))
            {
                metrics.InvalidFrames.Increment();
                connection.TrySend(ServerFrames.Error(ErrorCodes.BadRequest, error, frame.Ref));
                return false;
            }

            filters.Add(filter);
        }

        return true;
    }

    private async ValueTask PublishAsync(HeraldConnection connection, ClientFrame frame)
    {
        if (!options.AllowClientPublish)
        {
            connection.TrySend(ServerFrames.Error(ErrorCodes.Forbidden, "Publishing over the WebSocket is disabled on this server (Herald:AllowClientPublish).", frame.Ref));
            return;
        }

        if (!EventInput.TryParseMany(frame.Data, options, time, out var events, out var error))
        {
            metrics.InvalidFrames.Increment();
            connection.TrySend(ServerFrames.Error(ErrorCodes.BadRequest, error, frame.Ref));
            return;
        }

        if (events.FirstOrDefault(e => !connection.User.Grants.CanPublish(e.Topic)) is { } denied)
        {
            connection.TrySend(ServerFrames.Error(ErrorCodes.Forbidden, $"You may not publish to '{denied.Topic}': no herald.publish grant covers it.", frame.Ref));
            return;
        }

        if (!PublishKey.TryApply(events, frame.IdempotencyKey, out var keyError))
        {
            metrics.InvalidFrames.Increment();
            connection.TrySend(ServerFrames.Error(ErrorCodes.BadRequest, keyError, frame.Ref));
            return;
        }

        try
        {
            var stored = await appender.PublishAsync(events, CancellationToken.None).ConfigureAwait(false);
            connection.TrySend(ServerFrames.Published([.. stored.Select(e => e.Id)], frame.Ref));
        }
        catch (EventStoreUnavailableException ex)
        {
            connection.TrySend(ServerFrames.Error(ErrorCodes.Unavailable, ex.Message, frame.Ref));
        }
    }

    /// <summary>
    /// <c>auth</c>: a fresh token for the same user, usually the answer to a <c>refresh</c> frame. Accepted, it replaces
    /// the connection's grants and expiry without reconnecting; refused, the connection keeps the old token until it expires.
    /// </summary>
    private async ValueTask AuthenticateAsync(HeraldConnection connection, ClientFrame frame)
    {
        if (!authenticator.Required)
        {
            connection.TrySend(ServerFrames.Error(ErrorCodes.BadRequest, "This server does not use authentication; 'auth' frames are not needed.", frame.Ref));
            return;
        }

        if (string.IsNullOrEmpty(frame.Token))
        {
            metrics.InvalidFrames.Increment();
            connection.TrySend(ServerFrames.Error(ErrorCodes.BadRequest, "Invalid message format: 'auth' needs a string 'token'.", frame.Ref));
            return;
        }

        var outcome = await authenticator.AuthenticateTokenAsync(frame.Token).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            connection.TrySend(ServerFrames.Error(ErrorCodes.Unauthorized, outcome.Reason!, frame.Ref));
            return;
        }

        if (!string.Equals(outcome.User!.Subject, connection.User.Subject, StringComparison.Ordinal))
        {
            connection.TrySend(ServerFrames.Error(ErrorCodes.Unauthorized, "The token is for another user; reconnect to change users.", frame.Ref));
            return;
        }

        var dropped = connection.Reauthenticate(outcome.User);
        if (dropped.Count > 0)
        {
            connection.TrySend(ServerFrames.Subscription(subscribed: false, dropped.Select(f => f.Pattern), default));
        }

        connection.TrySend(ServerFrames.Authenticated(outcome.User.ExpiresAt, frame.Ref));
    }
}
