using Herald.Internal.Diagnostics;

namespace Herald.Tests;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void EmptyHistogramReportsZero()
    {
        var histogram = new LatencyHistogram();

        Assert.Equal(0, histogram.Count);
        Assert.Equal(TimeSpan.Zero, histogram.Percentile(50));
        Assert.Equal(TimeSpan.Zero, histogram.Max);
    }

    [Fact]
    public void PercentilesAreWithinBucketPrecisionOfTheSamples()
    {
        var histogram = new LatencyHistogram();
        for (var ms = 1; ms <= 100; ms++)
        {
            histogram.Record(TimeSpan.FromMilliseconds(ms));
        }

        Assert.Equal(100, histogram.Count);
        AssertNear(TimeSpan.FromMilliseconds(50), histogram.Percentile(50));
        AssertNear(TimeSpan.FromMilliseconds(99), histogram.Percentile(99));
        Assert.Equal(TimeSpan.FromMilliseconds(100), histogram.Max);
        Assert.True(histogram.Percentile(100) <= histogram.Max);
        Assert.True(histogram.Percentile(50) <= histogram.Percentile(99));
    }

    [Fact]
    public void BucketsListWhatWasRecordedUnderUpperBoundsWithinBucketPrecision()
    {
        var histogram = new LatencyHistogram();
        Assert.Empty(histogram.NonEmptyBuckets());
        for (var i = 0; i < 3; i++)
        {
            histogram.Record(TimeSpan.FromMilliseconds(1));
        }

        histogram.Record(TimeSpan.FromMilliseconds(10));

        var buckets = histogram.NonEmptyBuckets();
        Assert.Equal([3L, 1L], buckets.Select(b => b.Count));
        Assert.InRange(buckets[0].UpperBoundMs, 1, 1.19);
        Assert.InRange(buckets[1].UpperBoundMs, 10, 11.9);
    }

    [Fact]
    public void OneSlowOutlierMovesOnlyTheTail()
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 999; i++)
        {
            histogram.Record(TimeSpan.FromMilliseconds(1));
        }

        histogram.Record(TimeSpan.FromSeconds(2));

        AssertNear(TimeSpan.FromMilliseconds(1), histogram.Percentile(50));
        AssertNear(TimeSpan.FromMilliseconds(1), histogram.Percentile(99));
        Assert.Equal(TimeSpan.FromSeconds(2), histogram.Max);
        Assert.Equal(TimeSpan.FromSeconds(2), histogram.Percentile(100));
    }

    [Fact]
    public void SubMicrosecondAndHugeSamplesAreClamped()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(TimeSpan.Zero);
        histogram.Record(TimeSpan.FromDays(400));

        Assert.Equal(2, histogram.Count);
        Assert.True(histogram.Percentile(50) <= TimeSpan.FromMicroseconds(1));
        Assert.Equal(TimeSpan.FromDays(400), histogram.Max);
    }

    /// <summary>Buckets are about 19% wide; the reported value is the bucket's upper bound.</summary>
    private static void AssertNear(TimeSpan expected, TimeSpan actual)
        => Assert.InRange(actual.TotalMicroseconds, expected.TotalMicroseconds * 0.99, expected.TotalMicroseconds * 1.2);
}
