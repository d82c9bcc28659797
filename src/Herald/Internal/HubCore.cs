using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Herald.Internal.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Herald.Internal;

/// <summary>The hub: owns the pipeline, the connections, the subscription index, sessions and timers.</summary>
internal sealed partial class HubCore : IHeraldHub, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, HeraldConnection> _connections = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _timersStopping = new();
    private int _disposed;
    private Task _timers = Task.CompletedTask;
    private int _started;

    public HubCore(IOptions<HeraldOptions> options, IEventStore store, ISessionStore sessionStore, TimeProvider time, ILogger<HubCore> logger, IMeterFactory? meterFactory = null)
    {
        Options = options.Value;
        Store = store;
        SessionStore = sessionStore;
        Time = time;
        Logger = logger;
        Pipeline = new EventPipeline(this);
        Sessions = new SessionManager(this);
        if (meterFactory is not null)
        {
            Metrics.Instruments = new HeraldInstruments(meterFactory, this);
        }
    }

    public HeraldOptions Options { get; }

    public IEventStore Store { get; }

    public ISessionStore SessionStore { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    public HeraldMetrics Metrics { get; } = new();

    public SubscriptionIndex Index { get; } = new();

    public EventPipeline Pipeline { get; }

    public SessionManager Sessions { get; }

    /// <summary>True once shutdown began: new connections are refused.</summary>
    public bool IsStopping => _stopping.IsCancellationRequested;

    public int ConnectionCount => _connections.Count;

    /// <summary>Whether a new connection would exceed <see cref="HeraldOptions.MaxConnections"/>.</summary>
    public bool IsFull => Options.MaxConnections is { } max && _connections.Count >= max;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            return;
        }

        await Store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await SessionStore.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await Sessions.InitializeAsync(cancellationToken).ConfigureAwait(false);
        Pipeline.Start();
        _timers = Task.Run(RunTimersAsync, CancellationToken.None);
        Log.Started(Logger, Store.GetType().Name);
    }

    /// <summary>Closes every socket with 1001 (going away); the server then waits for them to finish.</summary>
    public void BeginShutdown()
    {
        if (IsStopping)
        {
            return;
        }

        _stopping.Cancel();
        Log.ShuttingDown(Logger, _connections.Count);
        foreach (var connection in _connections.Values)
        {
            connection.RequestClose(CloseCodes.GoingAway, "server shutting down");
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        BeginShutdown();

        // Connections the web server does not track (those taken straight from the socket) get the same
        // grace as the rest: up to CloseTimeout to finish their close handshake.
        if (!_connections.IsEmpty)
        {
            try
            {
                await _drained.Task.WaitAsync(Options.CloseTimeout, Time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                // Whatever did not close in time is dropped below.
            }
        }

        foreach (var connection in _connections.Values)
        {
            connection.Abort();
        }

        await Pipeline.StopAsync(cancellationToken).ConfigureAwait(false);
        await _timersStopping.CancelAsync().ConfigureAwait(false);
        await _timers.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        // The container disposes the hub once per registration that resolves it (HubCore and IHeraldHub).
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        await _timersStopping.CancelAsync().ConfigureAwait(false);
        await _timers.ConfigureAwait(false);
        _stopping.Dispose();
        _timersStopping.Dispose();
    }

    public byte[] EventFrame(HeraldEvent e) => e.WebSocketFrame ??= ServerFrames.Event(e);

    public void Register(HeraldConnection connection)
    {
        _connections[connection.Id] = connection;
        Metrics.Opened(connection);
        using (connection.BeginLogScope())
        {
            Log.Connected(Logger, connection.Id, connection.TransportName, connection.SessionId, connection.RemoteAddress);
        }
    }

    public void Unregister(HeraldConnection connection)
    {
        if (_connections.TryRemove(connection.Id, out _))
        {
            Index.RemoveAll(connection);
            Sessions.Detach(connection);
            Metrics.Closed(connection);
            using (connection.BeginLogScope())
            {
                Log.Disconnected(Logger, connection.Id, CloseReasons.For(connection.CloseStatus), (int)connection.CloseStatus, (Time.GetUtcNow() - connection.ConnectedAt).TotalSeconds);
            }

            if (IsStopping && _connections.IsEmpty)
            {
                _drained.TrySetResult();
            }
        }
    }

    public async ValueTask<HeraldEvent> PublishAsync(NewEvent newEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newEvent);
        var stored = await Pipeline.PublishAsync([newEvent], cancellationToken).ConfigureAwait(false);
        return stored[0];
    }

    public ValueTask<IReadOnlyList<HeraldEvent>> PublishAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        return events.Count == 0 ? ValueTask.FromResult<IReadOnlyList<HeraldEvent>>([]) : Pipeline.PublishAsync(events, cancellationToken);
    }

    public bool Publish(NewEvent newEvent)
    {
        ArgumentNullException.ThrowIfNull(newEvent);
        return Pipeline.TryPublish(newEvent);
    }

    public ValueTask<bool> SendToSessionAsync(string sessionId, JsonElement data, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        return Sessions.SendAsync(sessionId, Raw(data), cancellationToken);
    }

    public async ValueTask SendToSessionsAsync(IEnumerable<string> sessionIds, JsonElement data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionIds);
        var raw = Raw(data);
        foreach (var sessionId in sessionIds)
        {
            await Sessions.SendAsync(sessionId, raw, cancellationToken).ConfigureAwait(false);
        }
    }

    public int BroadcastMessage(JsonElement data)
    {
        var frame = ServerFrames.Message(Raw(data).Span);
        var sent = 0;
        foreach (var connection in _connections.Values)
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
        return Sessions.ReceiveAsync(sessionId, timeout, cancellationToken);
    }

    public IReadOnlyList<IHeraldConnection> GetConnections() => [.. _connections.Values];

    public IHeraldConnection? GetConnection(string connectionId) => _connections.GetValueOrDefault(connectionId);

    public bool CloseConnection(string connectionId, string reason = "closed by server")
    {
        if (!_connections.TryGetValue(connectionId, out var connection))
        {
            return false;
        }

        connection.RequestClose(CloseCodes.ClosedByServer, reason);
        return true;
    }

    public HeraldMetricsSnapshot GetMetrics() => Metrics.Snapshot(_connections.Values);

    private static ReadOnlyMemory<byte> Raw(JsonElement data)
        => data.ValueKind == JsonValueKind.Undefined ? EventJson.Null : JsonMarshal.GetRawUtf8Value(data).ToArray();
}
