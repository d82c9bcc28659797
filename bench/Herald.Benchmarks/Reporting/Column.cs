namespace Herald.Benchmarks.Reporting;

/// <summary>A table column: the metric key, its header and a .NET number format.</summary>
public sealed record Column(string Key, string Header, string Format);
