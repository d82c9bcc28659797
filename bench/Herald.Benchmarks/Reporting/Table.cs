namespace Herald.Benchmarks.Reporting;

/// <summary>A table of formatted cells, as both reports print it (the first column left-aligned).</summary>
public sealed class Table
{
    public string Title { get; init; } = "";

    public required IReadOnlyList<string> Headers { get; init; }

    public List<IReadOnlyList<string>> Rows { get; } = [];
}
