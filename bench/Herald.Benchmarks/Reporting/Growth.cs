namespace Herald.Benchmarks.Reporting;

/// <summary>One sentence from a chart's curves: each series' first and last point and how many times the figure changed between them.</summary>
public static class Growth
{
    public static string Describe(string lead, IEnumerable<ChartSeries> series, Func<double, string> x, Func<double, string> y)
    {
        var parts = new List<string>();
        foreach (var s in series)
        {
            var points = s.Points.Where(p => !double.IsNaN(p.Y) && !double.IsInfinity(p.Y)).ToList();
            if (points.Count < 2)
            {
                continue;
            }
            var (first, last) = (points[0], points[^1]);
            var factor = first.Y == 0 ? "" : Format.Inv($" ({last.Y / first.Y:0.0#}×)");
            parts.Add($"{s.Name} {y(first.Y)} → {y(last.Y)}{factor} from {x(first.X)} to {x(last.X)}");
        }
        return parts.Count == 0 ? "" : lead + ": " + string.Join("; ", parts) + ".";
    }
}
