namespace Herald.Benchmarks.Reporting;

/// <summary>One scenario's measurements (per server and round), the tables and charts made from them, and its target checks.</summary>
public sealed class ScenarioResult
{
    public required string Name { get; init; }

    public required string Title { get; init; }

    /// <summary>What is measured and how, printed above the tables.</summary>
    public required string Method { get; init; }

    public List<Measurement> Measurements { get; } = [];

    public List<Table> Tables { get; } = [];

    /// <summary>Findings in words: ratios, how a cost grows, what could not be measured and why.</summary>
    public List<string> Notes { get; } = [];

    public List<TargetCheck> Checks { get; } = [];

    public List<Chart> Charts { get; } = [];

    /// <summary>Figures a later run compares itself with, by stable key.</summary>
    public Dictionary<string, Headline> Headlines { get; } = [];

    public IEnumerable<Measurement> Of(string server) => Measurements.Where(m => m.Server == server);

    /// <summary>A figure of one server over its rounds.</summary>
    public Spread Spread(string server, string key) => Reporting.Spread.Of(Of(server).Select(m => m.Get(key)));

    /// <summary>herald/other per round (rounds paired by number), for ratio targets.</summary>
    public List<double> RatiosByRound(string server, string other, string key)
        => [.. Of(server).Select(m => (m, o: Of(other).FirstOrDefault(o => o.Round == m.Round)))
            .Select(p => p.o is null ? double.NaN : p.m.Get(key) / p.o.Get(key))];
}
