namespace Herald.Benchmarks.Reporting;

/// <summary>Everything one run measured, as written to latest.json/.md/.html.</summary>
public sealed class BenchReport
{
    public required DateTimeOffset Started { get; init; }

    public required bool Quick { get; init; }

    public required MachineInfo Machine { get; init; }

    /// <summary>The command line of the run, to rerun it.</summary>
    public string Command { get; init; } = "";

    /// <summary>Runtime settings of the servers and the load.</summary>
    public List<string> Settings { get; } = [];

    public TimeSpan Duration { get; set; }

    /// <summary>The load average when the run ended (the machine must be quiet for figures to mean much).</summary>
    public string LoadAverageAtEnd { get; set; } = "";

    public List<ScenarioResult> Scenarios { get; } = [];

    /// <summary>Figures a later run compares itself with, by stable key.</summary>
    public Dictionary<string, Headline> Headlines { get; } = [];

    public List<string> HarnessErrors { get; } = [];
}
