namespace Herald.Internal.Diagnostics;

/// <summary>
/// A fixed-size histogram of latencies with buckets growing by a quarter power of two (about 19% wide),
/// so percentiles are cheap to record and read and memory never grows.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int BucketsPerDoubling = 4;
    private const int BucketCount = 40 * BucketsPerDoubling; // up to 2^40 µs
    private readonly long[] _buckets = new long[BucketCount];
    private long _count;
    private long _maxMicros;

    public long Count => Volatile.Read(ref _count);

    public void Record(TimeSpan latency)
    {
        var micros = Math.Max(1L, (long)latency.TotalMicroseconds);
        var index = Math.Min(BucketCount - 1, (int)Math.Ceiling(Math.Log2(micros) * BucketsPerDoubling));
        Interlocked.Increment(ref _buckets[index]);
        Interlocked.Increment(ref _count);
        long max;
        while (micros > (max = Volatile.Read(ref _maxMicros)) && Interlocked.CompareExchange(ref _maxMicros, micros, max) != max)
        {
        }
    }

    /// <summary>The latency below which <paramref name="percentile"/> (0-100) of samples fall, to bucket precision.</summary>
    public TimeSpan Percentile(double percentile)
    {
        var total = Count;
        if (total == 0)
        {
            return TimeSpan.Zero;
        }

        var rank = (long)Math.Ceiling(total * percentile / 100.0);
        long seen = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            seen += Volatile.Read(ref _buckets[i]);
            if (seen >= rank)
            {
                return TimeSpan.FromMicroseconds(Math.Min(UpperBoundMicros(i), Volatile.Read(ref _maxMicros)));
            }
        }

        return Max;
    }

    /// <summary>Every bucket that holds samples, lowest first, with its upper bound.</summary>
    public IReadOnlyList<HeraldLatencyBucket> NonEmptyBuckets()
    {
        var buckets = new List<HeraldLatencyBucket>();
        for (var i = 0; i < BucketCount; i++)
        {
            var count = Volatile.Read(ref _buckets[i]);
            if (count > 0)
            {
                buckets.Add(new HeraldLatencyBucket(UpperBoundMicros(i) / 1000, count));
            }
        }

        return buckets;
    }

    public TimeSpan Max => TimeSpan.FromMicroseconds(Volatile.Read(ref _maxMicros));

    private static double UpperBoundMicros(int bucket) => Math.Pow(2, (double)bucket / BucketsPerDoubling);
}
