namespace Herald.Benchmarks.Reporting;

/// <summary>
/// Data for one inline-SVG chart: grouped bars (one group per category, one bar per series) or lines
/// (series of x/y points).
/// </summary>
public sealed class Chart
{
    public required string Title { get; init; }

    public required string YLabel { get; init; }

    public bool Lines { get; init; }

    public string XLabel { get; init; } = "";

    /// <summary>Bar groups (bars only).</summary>
    public List<string> Categories { get; } = [];

    public List<ChartSeries> Series { get; } = [];
}
