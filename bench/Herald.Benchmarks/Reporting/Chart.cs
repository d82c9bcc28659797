namespace Herald.Benchmarks.Reporting;

/// <summary>
/// Data for one inline-SVG chart: grouped bars (one group per category, one bar per series) or lines (series of x/y
/// points), with a sentence saying what the curves show.
/// </summary>
public sealed class Chart
{
    public required string Title { get; init; }

    public required string YLabel { get; init; }

    public bool Lines { get; init; }

    public string XLabel { get; init; } = "";

    /// <summary>Logarithmic axes, for figures that span orders of magnitude (latency, payload size).</summary>
    public bool LogX { get; init; }

    public bool LogY { get; init; }

    /// <summary>How the cost grows, in one sentence drawn from the figures.</summary>
    public string Caption { get; set; } = "";

    /// <summary>Bar groups (bars only).</summary>
    public List<string> Categories { get; } = [];

    public List<ChartSeries> Series { get; } = [];
}
