using Herald.Benchmarks.Reporting;

namespace Herald.Benchmarks.Scenarios;

/// <summary>Tables and charts from a series of points (steps, levels) that every server measured in each round.</summary>
internal static class Curves
{
    /// <summary>Every x of a series over all servers and rounds, in order.</summary>
    public static List<double> Xs(ScenarioResult result, string series, string xKey)
        => [.. result.Measurements.SelectMany(m => m.Series.TryGetValue(series, out var points) ? points : [])
            .Select(p => p.TryGetValue(xKey, out var x) ? x : double.NaN).Where(x => !double.IsNaN(x)).Distinct().Order()];

    /// <summary>The points of one server at one x, one per round that reached it.</summary>
    public static List<Dictionary<string, double>> PointsAt(ScenarioResult result, string server, string series, string xKey, double x)
        => [.. result.Of(server).SelectMany(m => m.Series.TryGetValue(series, out var points) ? points : []).Where(p => p.TryGetValue(xKey, out var v) && v == x)];

    public static Spread At(ScenarioResult result, string server, string series, string xKey, double x, string yKey)
        => Spread.Of(PointsAt(result, server, series, xKey, x).Select(p => p.TryGetValue(yKey, out var y) ? y : double.NaN));

    /// <summary>
    /// Rows for each x, a column per server with the median (min–max) of <paramref name="yKey"/> over rounds; a point
    /// <paramref name="flag"/> marks (not sustained, load-bound) gets the flag's text.
    /// </summary>
    public static Table Table(ScenarioResult result, IReadOnlyList<string> servers, string series, string xKey, string xHeader, Func<double, string> xText, string yKey, string format, string title, Func<Dictionary<string, double>, string>? flag = null)
    {
        var table = new Table { Title = title, Headers = [xHeader, .. servers] };
        foreach (var x in Xs(result, series, xKey))
        {
            List<string> row = [xText(x)];
            foreach (var server in servers)
            {
                var points = PointsAt(result, server, series, xKey, x);
                var cell = Spread.Of(points.Select(p => p.TryGetValue(yKey, out var y) ? y : double.NaN)).Format(format);
                var flags = flag is null ? "" : string.Concat(points.Select(flag).Distinct());
                row.Add(points.Count == 0 ? "" : cell + flags);
            }
            table.Rows.Add(row);
        }
        return table;
    }

    /// <summary>A line chart of the median of <paramref name="yKey"/> against <paramref name="xKey"/>, a line per server.</summary>
    public static Chart Chart(ScenarioResult result, IReadOnlyList<string> servers, string series, string xKey, string yKey, string title, string xLabel, string yLabel, bool logX = false, bool logY = false, Func<Dictionary<string, double>, bool>? include = null)
    {
        var chart = new Chart { Title = title, XLabel = xLabel, YLabel = yLabel, Lines = true, LogX = logX, LogY = logY };
        foreach (var server in servers)
        {
            var line = new ChartSeries { Name = server };
            foreach (var x in Xs(result, series, xKey))
            {
                var points = PointsAt(result, server, series, xKey, x).Where(p => include?.Invoke(p) ?? true).ToList();
                if (points.Count == 0)
                {
                    continue;
                }
                var xs = Spread.Of(points.Select(p => p.TryGetValue("x", out var v) ? v : x));
                var y = Spread.Of(points.Select(p => p.TryGetValue(yKey, out var v) ? v : double.NaN));
                line.Points.Add((xs.Median, y.Median));
            }
            if (line.Points.Count > 0)
            {
                chart.Series.Add(line);
            }
        }
        return chart;
    }

    public static string Rate(double deliveriesPerSecond)
        => deliveriesPerSecond >= 1e6 ? Format.Inv($"{deliveriesPerSecond / 1e6:0.##}M/s")
            : deliveriesPerSecond >= 1e3 ? Format.Inv($"{deliveriesPerSecond / 1e3:0.#}k/s")
            : Format.Inv($"{deliveriesPerSecond:0}/s");
}
