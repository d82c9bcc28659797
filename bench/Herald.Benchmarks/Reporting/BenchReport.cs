namespace Herald.Benchmarks.Reporting;

/// <summary>Everything one run measured, as written to latest.json/.md/.html.</summary>
public sealed class BenchReport
{
    public required DateTimeOffset Started { get; init; }

    public required bool Quick { get; init; }

    public required MachineInfo Machine { get; init; }

    public TimeSpan Duration { get; set; }

    public List<ScenarioResult> Scenarios { get; } = [];

    public List<string> HarnessErrors { get; } = [];
}
