using System.Net;
using Herald.Internal.Connections;
using Herald.Internal.Diagnostics;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;

namespace Herald.Internal.Transports;

/// <summary>
/// <see cref="HeraldOptions.MaxHttpConnectionsPerAddress"/>: HTTP connections one remote address may hold, so one
/// address cannot take every HTTP slot with idle, silent or slow-header connections and lock REST and health out for
/// everyone. Every path that holds a connection before it is an upgraded WebSocket or an SSE stream counts here:
/// <see cref="AddressLimitMiddleware"/> on Kestrel's listeners and Herald's socket transport before it hands a
/// connection on.
/// </summary>
internal sealed class HttpConnectionLimit(int perAddress, ILogger logger)
{
    private readonly AddressCounts _counts = new();

    public int this[IPAddress? address] => _counts[AddressKey.Of(address)];

    /// <summary>
    /// Counts a connection from <paramref name="address"/>, or returns null when that address holds as many as it may
    /// (the connection is then closed unread). Release the lease when the connection ends or stops being plain HTTP.
    /// </summary>
    /// <param name="address">The remote address.</param>
    /// <param name="inner">Kestrel's own release of the connection's slot, released with the lease.</param>
    public Lease? TryAcquire(IPAddress? address, IDecrementConcurrentConnectionCountFeature? inner = null)
    {
        var key = AddressKey.Of(address);
        if (_counts.TryAdd(key, perAddress))
        {
            return new Lease(_counts, key, inner);
        }

        Log.HttpConnectionRefused(logger, address, perAddress);
        return null;
    }

    /// <summary>
    /// One counted connection. Kestrel and Herald release the connection count feature when a connection upgrades, and
    /// Herald when it becomes an SSE stream; this releases the address's count then too, once.
    /// </summary>
    public sealed class Lease(AddressCounts counts, AddressKey key, IDecrementConcurrentConnectionCountFeature? inner) : IDecrementConcurrentConnectionCountFeature
    {
        private int _released;

        public void ReleaseConnection()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                counts.Remove(key);
            }

            inner?.ReleaseConnection();
        }
    }
}
