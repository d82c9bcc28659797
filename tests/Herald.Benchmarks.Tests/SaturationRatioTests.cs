using Herald.Benchmarks.Scenarios;

namespace Herald.Benchmarks.Tests;

/// <summary>The saturation checks compare Herald with references that may not sustain even the first step.</summary>
public sealed class SaturationRatioTests
{
    [Fact]
    public void RatioOfTwoSustainedRatesIsTheirQuotient()
    {
        var (ratio, text) = SaturationScenario.SustainedRatio(300_000, 200_000, "raw", 100_000);

        Assert.Equal(1.5, ratio, 6);
        Assert.Equal("1.50×", text);
    }

    [Fact]
    public void ReferenceThatSustainedNoStepIsBoundedByTheFirstStep()
    {
        var (ratio, text) = SaturationScenario.SustainedRatio(790_000, 0, "signalr", 100_000);

        // SignalR's ceiling is below 100,000 deliveries/s, so Herald's 790,000 is more than 7.9 times it.
        Assert.Equal(7.9, ratio, 6);
        Assert.StartsWith("> 7.90× (signalr sustained no step", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(double.NaN, 0)]
    [InlineData(500_000, double.NaN)]
    public void MissingOrZeroFiguresGiveNoRatio(double herald, double other)
    {
        var (ratio, text) = SaturationScenario.SustainedRatio(herald, other, "signalr", 100_000);

        Assert.True(double.IsNaN(ratio));
        Assert.Equal("–", text);
    }
}
