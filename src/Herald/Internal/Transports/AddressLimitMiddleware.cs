using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Herald.Internal.Transports;

/// <summary>
/// Kestrel connection middleware for <see cref="HttpConnectionLimit"/>: a connection past its address's limit is closed
/// before anything is read from it, as Kestrel closes one past <c>MaxConcurrentConnections</c>. The connection's count
/// feature is replaced by the lease, so an upgrade (Kestrel's or Herald's) or an SSE stream releases both counts.
/// </summary>
internal sealed class AddressLimitMiddleware(ConnectionDelegate next, HttpConnectionLimit limit)
{
    public async Task OnConnectionAsync(ConnectionContext connection)
    {
        var kestrel = connection.Features.Get<IDecrementConcurrentConnectionCountFeature>();
        if (limit.TryAcquire((connection.RemoteEndPoint as IPEndPoint)?.Address, kestrel) is not { } lease)
        {
            return;
        }

        connection.Features.Set<IDecrementConcurrentConnectionCountFeature>(lease);
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            lease.ReleaseConnection();
        }
    }
}
