using System.Net.WebSockets;
using System.Text.Json;
using Herald.Client.Internal;
using Herald.Internal.Protocol;

namespace Herald.Client;

public sealed partial class HeraldClient
{
    /// <summary>Subscribes to more topic patterns; they are kept across reconnects.</summary>
    /// <param name="topics">Topic patterns (<c>+</c> one level, <c>#</c> the rest).</param>
    /// <param name="cancellationToken">Stops waiting for the server's confirmation.</param>
    /// <returns>Completes when the server confirmed, or at once while disconnected (the next connection subscribes).</returns>
    /// <exception cref="HeraldClientException">The server refused a pattern.</exception>
    public Task SubscribeAsync(IEnumerable<string> topics, CancellationToken cancellationToken)
        => ChangeSubscriptionAsync(subscribe: true, topics, cancellationToken);

    /// <summary>Removes topic patterns subscribed before.</summary>
    /// <param name="topics">Patterns exactly as subscribed.</param>
    /// <param name="cancellationToken">Stops waiting for the server's confirmation.</param>
    /// <returns>Completes when the server confirmed, or at once while disconnected.</returns>
    /// <exception cref="HeraldClientException">The server refused a pattern.</exception>
    public Task UnsubscribeAsync(IEnumerable<string> topics, CancellationToken cancellationToken)
        => ChangeSubscriptionAsync(subscribe: false, topics, cancellationToken);

    /// <summary>Sends a <c>message</c> frame to the server (it reaches the server's session message handlers) and waits for its <c>ack</c>.</summary>
    /// <param name="data">Any JSON value.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="HeraldClientException">Not connected, or the connection dropped before the ack (code <c>connection_lost</c>).</exception>
    public async Task SendMessageAsync(JsonElement data, CancellationToken cancellationToken)
    {
        var connection = CurrentConnection() ?? throw new HeraldClientException("Not connected to the Herald server.", "not_connected", null, null);
        var reference = _pending.NextRef();
        var frame = ProtocolFrames.Message(data, ProtocolFrames.Ref(reference));
        await SendRequestAsync(connection, reference, frame, completeOnDisconnect: false, cancellationToken).ConfigureAwait(false);
    }

    private async Task ChangeSubscriptionAsync(bool subscribe, IEnumerable<string> topics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var list = topics.ToList();
        if (list.Count == 0 || list.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Give at least one non-empty topic pattern.", nameof(topics));
        }

        ServerConnection? connection;
        lock (_sync)
        {
            foreach (var topic in list)
            {
                if (subscribe)
                {
                    if (!_topics.Contains(topic, StringComparer.Ordinal))
                    {
                        _topics.Add(topic);
                    }
                }
                else
                {
                    _topics.Remove(topic);
                }
            }

            connection = _current is { Welcomed: true } current ? current : null;
        }

        if (connection is null)
        {
            return;
        }

        var reference = _pending.NextRef();
        var frame = subscribe
            ? ProtocolFrames.Subscribe(list, since: null, ProtocolFrames.Ref(reference))
            : ProtocolFrames.Unsubscribe(list, ProtocolFrames.Ref(reference));
        await SendRequestAsync(connection, reference, frame, completeOnDisconnect: true, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendRequestAsync(ServerConnection connection, string reference, byte[] frame, bool completeOnDisconnect, CancellationToken cancellationToken)
    {
        var pending = _pending.Add(reference, completeOnDisconnect);
        try
        {
            try
            {
                await connection.SendAsync(frame, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
            {
                if (completeOnDisconnect)
                {
                    return;
                }

                throw new HeraldClientException("The connection to the Herald server was lost before the request was sent.", ex);
            }

            if (CurrentConnection() != connection)
            {
                // The connection dropped while sending; a pending entry may have missed the sweep.
                _pending.FailAll();
            }

            await pending.Answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending.Remove(reference);
        }
    }

    private ServerConnection? CurrentConnection()
    {
        lock (_sync)
        {
            return _current is { Welcomed: true } current ? current : null;
        }
    }
}
