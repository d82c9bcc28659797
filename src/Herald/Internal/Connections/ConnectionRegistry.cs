using System.Collections.Concurrent;
using System.Net;
using Herald.Internal.Diagnostics;
using Herald.Internal.Protocol;
using Microsoft.Extensions.Logging;

namespace Herald.Internal.Connections;

/// <summary>
/// The connections open on this node: the connection limits (in all and per address), shutdown (close everything with 1001, then wait for
/// the closes), and the per-node views of <see cref="IHeraldHub"/>. Every connection's open and close lines (one
/// each, the close with its reason, code and duration) and counts are written here, whatever its transport.
/// </summary>
internal sealed class ConnectionRegistry(HeraldOptions options, HeraldMetrics metrics, TimeProvider time, ILogger logger)
{
    private readonly ConcurrentDictionary<string, HeraldConnection> _connections = new(StringComparer.Ordinal);
    private readonly AddressCounts _perAddress = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _stopping;

    public int Count => _connections.Count;

    /// <summary>The hub's settings, for the checks every new connection passes.</summary>
    public HeraldOptions Options => options;

    /// <summary>Whether a new connection would exceed <see cref="HeraldOptions.MaxConnections"/>.</summary>
    public bool IsFull => options.MaxConnections is { } max && _connections.Count >= max;

    /// <summary>Whether a new connection from <paramref name="address"/> would exceed <see cref="HeraldOptions.MaxConnectionsPerAddress"/>.</summary>
    public bool IsFullFor(IPAddress? address) => _perAddress[AddressKey.Of(address)] >= options.MaxConnectionsPerAddress;

    /// <summary>True once shutdown began: new connections are refused.</summary>
    public bool IsStopping => Volatile.Read(ref _stopping) != 0;

    public ICollection<HeraldConnection> All => _connections.Values;

    public void Register(HeraldConnection connection)
    {
        _connections[connection.Id] = connection;
        _perAddress.TryAdd(AddressKey.Of(connection.RemoteAddress), limit: null);
        metrics.Opened(connection);
        using (connection.BeginLogScope())
        {
            Log.Connected(logger, connection.Id, connection.TransportName, connection.SessionId, connection.RemoteAddress);
        }
    }

    public void Unregister(HeraldConnection connection)
    {
        if (_connections.TryRemove(connection.Id, out _))
        {
            _perAddress.Remove(AddressKey.Of(connection.RemoteAddress));
            metrics.Closed(connection);
            using (connection.BeginLogScope())
            {
                var reason = connection.CloseReason;
                Log.Disconnected(logger, connection.Id, reason.Name, reason.Code, (time.GetUtcNow() - connection.ConnectedAt).TotalSeconds);
            }

            if (IsStopping && _connections.IsEmpty)
            {
                _drained.TrySetResult();
            }
        }
    }

    public HeraldConnection? Find(string connectionId) => _connections.GetValueOrDefault(connectionId);

    /// <summary>Refuses new connections and asks every open one to close with 1001 (going away).</summary>
    /// <returns>False when shutdown had already begun.</returns>
    public bool BeginShutdown()
    {
        if (Interlocked.Exchange(ref _stopping, 1) != 0)
        {
            return false;
        }

        foreach (var connection in _connections.Values)
        {
            connection.RequestClose(CloseReason.GoingAway);
        }

        if (_connections.IsEmpty)
        {
            _drained.TrySetResult();
        }

        return true;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for every connection to finish closing, then drops the rest.</summary>
    public async Task DrainAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await _drained.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // Whatever did not close in time is dropped below.
        }

        foreach (var connection in _connections.Values)
        {
            connection.Abort();
        }
    }
}
