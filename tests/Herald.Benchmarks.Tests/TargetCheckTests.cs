using Herald.Benchmarks.Reporting;

namespace Herald.Benchmarks.Tests;

/// <summary>A ratio target counts only when every round's ratio is on one side of it.</summary>
public sealed class TargetCheckTests
{
    [Fact]
    public void RatiosAllUnderTheLimitPass()
    {
        var check = TargetCheck.ForRatios("CPU ≤ 0.7×", [0.55, 0.61, 0.58], 0.7, atMost: true);

        Assert.True(check.Pass);
        Assert.Equal("0.58× (0.55–0.61×) over 3 rounds", check.Measured);
    }

    [Fact]
    public void RangeThatStraddlesTheLimitDoesNotCount()
    {
        var check = TargetCheck.ForRatios("CPU ≤ 0.7×", [0.65, 0.68, 0.74], 0.7, atMost: true);

        Assert.False(check.Pass);
        Assert.Contains("straddles the target", check.Measured, StringComparison.Ordinal);
    }

    [Fact]
    public void RatiosAllAboveAnAtLeastLimitPass()
    {
        Assert.True(TargetCheck.ForRatios("saturation ≥ 1.2×", [1.3, 1.25, 1.4], 1.2, atMost: false).Pass);
        Assert.False(TargetCheck.ForRatios("saturation ≥ 1.2×", [1.3, 1.15, 1.4], 1.2, atMost: false).Pass);
    }

    [Fact]
    public void RoundWithoutAFigureKeepsTheTargetFromPassing()
    {
        var check = TargetCheck.ForRatios("CPU ≤ 0.7×", [0.5, double.NaN, 0.6], 0.7, atMost: true);

        Assert.False(check.Pass);
        Assert.Contains("without a figure", check.Measured, StringComparison.Ordinal);
    }

    [Fact]
    public void SpreadIsTheMedianWithItsRangeAndLeavesOutMissingFigures()
    {
        var spread = Spread.Of([4, double.NaN, 1, 3, 2]);

        Assert.Equal(2.5, spread.Median);
        Assert.Equal(1, spread.Min);
        Assert.Equal(4, spread.Max);
        Assert.Equal(4, spread.Count);
        Assert.Equal("2.50 (1.00–4.00)", spread.Format("0.00"));
    }
}
