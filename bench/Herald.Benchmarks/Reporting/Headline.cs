namespace Herald.Benchmarks.Reporting;

/// <summary>A figure the next run compares itself with (bench/results' previous full run): its spread and which way is better.</summary>
public sealed record Headline(string Label, double Median, double Min, double Max, int Rounds, bool HigherIsBetter);
