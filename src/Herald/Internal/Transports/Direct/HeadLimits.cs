using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Herald.Internal.Transports.Direct;

/// <summary>
/// Kestrel's limits on a request head, which Herald keeps to where it reads handshakes itself: a head past a size or
/// count limit is left to Kestrel, which refuses it (414, 431) as it refuses any other; a head that takes longer than
/// <see cref="RequestHeadersTimeout"/> gets 408, and a connection silent for <see cref="KeepAliveTimeout"/> is closed.
/// </summary>
internal sealed record HeadLimits(int MaxRequestLineSize, int MaxRequestHeadersTotalSize, int MaxRequestHeaderCount, TimeSpan RequestHeadersTimeout, TimeSpan KeepAliveTimeout)
{
    /// <summary>Kestrel's defaults.</summary>
    public static HeadLimits Default { get; } = From(new KestrelServerLimits());

    public static HeadLimits From(KestrelServerLimits limits)
        => new(limits.MaxRequestLineSize, limits.MaxRequestHeadersTotalSize, limits.MaxRequestHeaderCount, limits.RequestHeadersTimeout, limits.KeepAliveTimeout);
}
