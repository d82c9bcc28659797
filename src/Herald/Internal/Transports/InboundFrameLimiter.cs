using System.Threading.RateLimiting;

namespace Herald.Internal.Transports;

/// <summary>
/// One WebSocket connection's budget of inbound frames (<c>Herald:ClientFrameRate</c> and <c>ClientFrameBurst</c>): a token
/// bucket from System.Threading.RateLimiting, refilled when asked for the time since it last was (no timer per
/// connection), and a count of the frames it refused, which tells a client that slows down from one that keeps sending
/// regardless (<c>Herald:MaxRateLimitedFrames</c> within <c>RateLimitWindow</c>). Only the connection's read loop uses it.
/// </summary>
internal sealed class InboundFrameLimiter(TokenBucketRateLimiterOptions bucket, HeraldOptions options, TimeProvider time) : IDisposable
{
    private readonly TokenBucketRateLimiter _bucket = new(bucket);
    private int _refused;
    private long _windowStart;

    /// <summary>The bucket settings every connection shares, or null when <c>Herald:ClientFrameRate</c> is 0 (no limit).</summary>
    public static TokenBucketRateLimiterOptions? Bucket(HeraldOptions options) => options.ClientFrameRate == 0 ? null : new()
    {
        TokenLimit = options.ClientFrameBurst,
        TokensPerPeriod = options.ClientFrameRate,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        AutoReplenishment = false,
        QueueLimit = 0,
    };

    /// <summary>Takes one frame from the budget.</summary>
    public FrameAdmission Admit()
    {
        _bucket.TryReplenish();
        using var lease = _bucket.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return FrameAdmission.Accepted;
        }

        var now = time.GetUtcNow().UtcTicks;
        if (_refused == 0 || now - _windowStart > options.RateLimitWindow.Ticks)
        {
            _windowStart = now;
            _refused = 0;
        }

        return ++_refused >= options.MaxRateLimitedFrames ? FrameAdmission.Abusive : FrameAdmission.Refused;
    }

    public void Dispose() => _bucket.Dispose();
}
