using System.Runtime.InteropServices;
using System.Text.Json;
using Herald.Internal.Cluster;
using Herald.Internal.Connections;
using Herald.Internal.Diagnostics;
using Herald.Internal.Dispatch;
using Herald.Internal.Protocol;
using Herald.Internal.Publishing;
using Herald.Internal.Sessions;
using Microsoft.Extensions.Logging;

namespace Herald.Internal.Hub;

/// <summary>
/// The hub: starts and stops the pieces in order (log, sessions, cluster, dispatcher, appender, timers) and is the
/// application's <see cref="IHeraldHub"/>. It holds no state of its own; each piece gets what it needs from the
/// composition in <c>HeraldServiceCollectionExtensions</c>.
/// </summary>
internal sealed class HubCore(
    IEventStore store,
    EventAppender appender,
    EventDispatcher dispatcher,
    SessionManager sessions,
    ConnectionRegistry connections,
    ClusterNode cluster,
    HubTimers timers,
    HeraldMetrics metrics,
    HeraldOptions options,
    TimeProvider time,
    ILogger logger) : IHeraldHub, IAsyncDisposable
{
    private int _started;
    private int _stopped;

    public int ConnectionCount => connections.Count;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            return;
        }

        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await sessions.StartAsync(cancellationToken).ConfigureAwait(false);

        // A node that died holds its sessions' claims until someone releases them, so they can expire.
        cluster.NodeLost += (node, lastHeard) => _ = sessions.ReleaseLostNodeAsync(node, lastHeard);
        await cluster.StartAsync(cancellationToken).ConfigureAwait(false);

        // Fan out what is stored from now on, by this hub or any other that shares the log.
        var bounds = await store.GetBoundsAsync(cancellationToken).ConfigureAwait(false);
        dispatcher.Start(bounds.LastId);
        appender.Start();
        timers.Start();
        Log.Started(logger, store.GetType().Name);
    }

    /// <summary>Refuses new connections and closes every socket with 1001 (going away); <see cref="StopAsync"/> waits for them.</summary>
    public void BeginShutdown()
    {
        var open = connections.Count;
        if (connections.BeginShutdown())
        {
            Log.ShuttingDown(logger, open);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        BeginShutdown();

        // Connections the web server does not track (those taken straight from the socket) get the same
        // grace as the rest: up to CloseTimeout to finish their close handshake.
        await connections.DrainAsync(options.CloseTimeout, time, cancellationToken).ConfigureAwait(false);

        // Publishes already accepted are stored, and what they stored is fanned out, before the hub stops.
        await appender.StopAsync(cancellationToken).ConfigureAwait(false);
        await dispatcher.StopAsync(appender.LastStoredId, cancellationToken).ConfigureAwait(false);
        await timers.StopAsync().ConfigureAwait(false);
        await cluster.StopAsync().ConfigureAwait(false);
        await sessions.StopAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        // The container disposes the hub once per registration that resolves it (HubCore and IHeraldHub).
        await timers.StopAsync().ConfigureAwait(false);
    }

    public async ValueTask<HeraldEvent> PublishAsync(NewEvent newEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newEvent);
        var stored = await appender.PublishAsync([newEvent], cancellationToken).ConfigureAwait(false);
        return stored[0];
    }

    public ValueTask<IReadOnlyList<HeraldEvent>> PublishAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        return events.Count == 0 ? ValueTask.FromResult<IReadOnlyList<HeraldEvent>>([]) : appender.PublishAsync(events, cancellationToken);
    }

    public bool Publish(NewEvent newEvent)
    {
        ArgumentNullException.ThrowIfNull(newEvent);
        return appender.TryPublish(newEvent);
    }

    public ValueTask<SessionMessageOutcome> SendToSessionAsync(string sessionId, JsonElement data, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        return sessions.SendAsync(sessionId, Raw(data), cancellationToken);
    }

    public async ValueTask SendToSessionsAsync(IEnumerable<string> sessionIds, JsonElement data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionIds);
        var raw = Raw(data);
        foreach (var sessionId in sessionIds)
        {
            await sessions.SendAsync(sessionId, raw, cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask<bool> EndSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        return sessions.RevokeAsync(sessionId, cancellationToken);
    }

    public int BroadcastMessage(JsonElement data)
    {
        var raw = Raw(data);
        var frame = ServerFrames.Message(raw.Span);
        _ = TellOtherNodesAsync(raw);
        var sent = 0;
        foreach (var connection in connections.All)
        {
            if (connection.SendMessage(frame))
            {
                sent++;
            }
        }

        return sent;
    }

    public ValueTask<SessionMessage?> ReceiveAsync(string sessionId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        return sessions.Inboxes.ReceiveAsync(sessionId, timeout, cancellationToken);
    }

    public IReadOnlyList<IHeraldConnection> GetConnections() => [.. connections.All];

    public IHeraldConnection? GetConnection(string connectionId) => connections.Find(connectionId);

    public ValueTask<bool> CloseConnectionAsync(string connectionId, string reason = "closed by server", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionId);
        return cluster.CloseAsync(connectionId, reason, cancellationToken);
    }

    public bool CloseConnection(string connectionId, string reason = "closed by server")
    {
        if (connections.Find(connectionId) is not { } connection)
        {
            return false;
        }

        connection.RequestClose(CloseReason.ClosedByServer(reason));
        return true;
    }

    public HeraldMetricsSnapshot GetMetrics() => metrics.Snapshot(connections.All);

    private async Task TellOtherNodesAsync(ReadOnlyMemory<byte> data)
    {
        try
        {
            await cluster.BroadcastAsync(data, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.ClusterSendFailed(logger, "broadcast", ex);
        }
    }

    private static ReadOnlyMemory<byte> Raw(JsonElement data)
        => data.ValueKind == JsonValueKind.Undefined ? EventJson.Null : JsonMarshal.GetRawUtf8Value(data).ToArray();
}
