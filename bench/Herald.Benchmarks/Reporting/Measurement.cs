namespace Herald.Benchmarks.Reporting;

/// <summary>What one server did in one round of a scenario: single figures, and series of points (steps, levels).</summary>
public sealed class Measurement
{
    public required string Server { get; init; }

    /// <summary>1-based round; rounds interleave the servers.</summary>
    public required int Round { get; init; }

    public Dictionary<string, double> Values { get; } = [];

    /// <summary>Named series, each a list of points (a point is a set of named figures).</summary>
    public Dictionary<string, List<Dictionary<string, double>>> Series { get; } = [];

    /// <summary>Errors, or why a figure is missing.</summary>
    public string? Note { get; set; }

    public double Get(string key) => Values.TryGetValue(key, out var value) ? value : double.NaN;

    public List<Dictionary<string, double>> Points(string series)
    {
        if (!Series.TryGetValue(series, out var points))
        {
            points = [];
            Series[series] = points;
        }
        return points;
    }

    public void AddNote(string note)
    {
        Note = string.IsNullOrEmpty(Note) ? note : Note + "; " + note;
    }
}
