namespace Herald.Benchmarks.Reporting;

/// <summary>One server's figures in a scenario.</summary>
public sealed class ServerRow
{
    public required string Server { get; init; }

    public Dictionary<string, double> Values { get; } = [];

    /// <summary>Errors, or why a figure is missing.</summary>
    public string? Note { get; set; }

    public double Get(string key)
    {
        return Values.TryGetValue(key, out var value) ? value : double.NaN;
    }
}
