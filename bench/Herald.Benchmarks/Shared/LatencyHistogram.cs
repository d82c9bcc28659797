namespace Herald.Benchmarks.Shared;

/// <summary>
/// A log-bucketed histogram of microsecond values (HdrHistogram-like, about 3% precision): recording is
/// one interlocked increment, and histograms from several processes merge by adding bucket counts.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBucketBits = 5;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int LinearLimit = SubBuckets * 2;
    private const int BucketCount = LinearLimit + ((64 - SubBucketBits - 1) * SubBuckets);

    private readonly long[] _counts = new long[BucketCount];

    public long Count
    {
        get
        {
            long total = 0;
            foreach (var c in _counts)
            {
                total += c;
            }
            return total;
        }
    }

    public void Record(long micros)
    {
        Interlocked.Increment(ref _counts[IndexOf(Math.Max(0, micros))]);
    }

    public void Add(IEnumerable<long[]> pairs)
    {
        foreach (var pair in pairs)
        {
            _counts[pair[0]] += pair[1];
        }
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < BucketCount; i++)
        {
            _counts[i] += other._counts[i];
        }
    }

    /// <summary>The non-empty buckets as [index, count] pairs, the form sent over stdout JSON.</summary>
    public List<long[]> ToPairs()
    {
        var pairs = new List<long[]>();
        for (var i = 0; i < BucketCount; i++)
        {
            var c = Volatile.Read(ref _counts[i]);
            if (c > 0)
            {
                pairs.Add([i, c]);
            }
        }
        return pairs;
    }

    public void Reset()
    {
        Array.Clear(_counts);
    }

    /// <summary>The value at the quantile (0..1) in microseconds: the upper edge of its bucket, so never optimistic.</summary>
    public double Percentile(double quantile)
    {
        var total = Count;
        if (total == 0)
        {
            return double.NaN;
        }
        var rank = (long)Math.Ceiling(quantile * total);
        rank = Math.Clamp(rank, 1, total);
        long seen = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return UpperEdge(i);
            }
        }
        return UpperEdge(BucketCount - 1);
    }

    public double Max()
    {
        for (var i = BucketCount - 1; i >= 0; i--)
        {
            if (_counts[i] > 0)
            {
                return UpperEdge(i);
            }
        }
        return double.NaN;
    }

    private static int IndexOf(long value)
    {
        if (value < LinearLimit)
        {
            return (int)value;
        }
        var msb = 63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)value);
        var shift = msb - SubBucketBits;
        var top = (int)(value >> shift);
        return LinearLimit + ((msb - SubBucketBits - 1) * SubBuckets) + (top - SubBuckets);
    }

    private static double UpperEdge(int index)
    {
        if (index < LinearLimit)
        {
            return index;
        }
        var group = (index - LinearLimit) / SubBuckets;
        var top = ((index - LinearLimit) % SubBuckets) + SubBuckets;
        var shift = group + 1;
        return ((double)(top + 1) * Math.Pow(2, shift)) - 1;
    }
}
