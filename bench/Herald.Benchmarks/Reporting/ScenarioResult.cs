namespace Herald.Benchmarks.Reporting;

/// <summary>One scenario's table (a row per server), its ratios, target checks and charts.</summary>
public sealed class ScenarioResult
{
    public required string Name { get; init; }

    public required string Title { get; init; }

    /// <summary>What is measured and how, printed above the table.</summary>
    public required string Method { get; init; }

    public List<Column> Columns { get; } = [];

    public List<ServerRow> Rows { get; } = [];

    /// <summary>Lines such as "p99 herald/raw = 1.10×".</summary>
    public List<string> Ratios { get; } = [];

    public List<TargetCheck> Checks { get; } = [];

    public List<Chart> Charts { get; } = [];

    public List<string> Notes { get; } = [];

    public ServerRow? Row(string server)
    {
        return Rows.FirstOrDefault(r => r.Server == server);
    }

    /// <summary>herald/other for a metric, NaN when either is missing.</summary>
    public double Ratio(string key, string other)
    {
        var herald = Row("herald")?.Get(key) ?? double.NaN;
        var reference = Row(other)?.Get(key) ?? double.NaN;
        return reference == 0 ? double.NaN : herald / reference;
    }

    public void AddRatio(string key, string label)
    {
        foreach (var other in new[] { "raw", "signalr" })
        {
            Ratios.Add($"{label}: herald/{other} = {Format.Ratio(Ratio(key, other))}");
        }
    }
}
