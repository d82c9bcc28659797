namespace Herald.Benchmarks.Reporting;

/// <summary>A target from the issue and whether Herald met it in this run.</summary>
public sealed record TargetCheck(string Target, string Measured, bool Pass);
