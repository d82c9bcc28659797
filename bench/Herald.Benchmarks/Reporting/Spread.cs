namespace Herald.Benchmarks.Reporting;

/// <summary>The median of a figure over rounds, with its range; missing figures (NaN) are left out.</summary>
public readonly record struct Spread(double Median, double Min, double Max, int Count)
{
    public static Spread Of(IEnumerable<double> values)
    {
        var list = values.Where(v => !double.IsNaN(v) && !double.IsInfinity(v)).Order().ToList();
        if (list.Count == 0)
        {
            return new Spread(double.NaN, double.NaN, double.NaN, 0);
        }
        var median = list.Count % 2 == 1 ? list[list.Count / 2] : (list[(list.Count / 2) - 1] + list[list.Count / 2]) / 2;
        return new Spread(median, list[0], list[^1], list.Count);
    }

    /// <summary>"12.3 (11.0–13.1)", or just the number for one round; <paramref name="unit"/> follows each number.</summary>
    public string Format(string format, string unit = "")
        => Count == 0 ? "–"
            : Count == 1 || Min == Max ? Reporting.Format.Number(Median, format) + unit
            : $"{Reporting.Format.Number(Median, format)}{unit} ({Reporting.Format.Number(Min, format)}–{Reporting.Format.Number(Max, format)}{unit})";
}
