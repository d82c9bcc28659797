namespace Herald.Benchmarks.Reporting;

/// <summary>A named series: bar heights per category, or x/y points for a line chart.</summary>
public sealed class ChartSeries
{
    public required string Name { get; init; }

    public List<double> Values { get; } = [];

    public List<(double X, double Y)> Points { get; } = [];
}
