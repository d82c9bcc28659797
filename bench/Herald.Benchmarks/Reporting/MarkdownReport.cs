using System.Text;

namespace Herald.Benchmarks.Reporting;

/// <summary>Renders latest.md: the run, every target's verdict, then each scenario's method, tables, findings and checks.</summary>
public static class MarkdownReport
{
    public static string Render(BenchReport report)
    {
        var md = new StringBuilder();
        md.AppendLine("# Herald benchmark results").AppendLine();
        foreach (var line in Header(report))
        {
            md.AppendLine("- " + line);
        }
        md.AppendLine();
        md.AppendLine("## Targets").AppendLine();
        md.AppendLine("| target | measured | result |").AppendLine("|---|---|---|");
        foreach (var check in report.Scenarios.SelectMany(s => s.Checks))
        {
            md.AppendLine(Format.Inv($"| {Escape(check.Target)} | {Escape(check.Measured)} | {(check.Pass ? "PASS" : "**FAIL**")} |"));
        }
        md.AppendLine();
        foreach (var scenario in report.Scenarios)
        {
            md.Append(RenderScenario(scenario));
        }
        if (report.HarnessErrors.Count > 0)
        {
            md.AppendLine("## Harness errors").AppendLine();
            foreach (var error in report.HarnessErrors)
            {
                md.AppendLine("```").AppendLine(error).AppendLine("```");
            }
        }
        return md.ToString();
    }

    /// <summary>The run's header lines: when, how long, the command, the machine and the settings.</summary>
    public static IEnumerable<string> Header(BenchReport report)
    {
        var m = report.Machine;
        yield return Format.Inv($"Date: {report.Started:yyyy-MM-dd HH:mm:ss zzz} ({(report.Quick ? "quick smoke run: tiny counts, the figures mean little" : "full run")}, took {report.Duration.TotalMinutes:0.0} min)");
        if (report.Command.Length > 0)
        {
            yield return "Command: `" + report.Command + "`";
        }
        yield return Format.Inv($"Machine: {m.Cpu}, {m.Cores} cores, {m.Memory} RAM, {m.Os}; {m.Runtime}; open files (soft hard): {m.OpenFilesLimit}");
        yield return "Load average at start: " + m.LoadAverage + (report.LoadAverageAtEnd.Length > 0 ? "; at end: " + report.LoadAverageAtEnd : "");
        foreach (var setting in report.Settings)
        {
            yield return setting;
        }
    }

    public static string RenderScenario(ScenarioResult scenario)
    {
        var md = new StringBuilder();
        md.AppendLine("## " + scenario.Title).AppendLine();
        md.AppendLine(scenario.Method).AppendLine();
        foreach (var table in scenario.Tables)
        {
            if (table.Title.Length > 0)
            {
                md.AppendLine("**" + table.Title + "**").AppendLine();
            }
            md.AppendLine("| " + string.Join(" | ", table.Headers.Select(Escape)) + " |");
            md.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---:|", table.Headers.Count - 1)));
            foreach (var row in table.Rows)
            {
                md.AppendLine("| " + string.Join(" | ", row.Select(Escape)) + " |");
            }
            md.AppendLine();
        }
        foreach (var line in scenario.Notes)
        {
            md.AppendLine("- " + line);
        }
        foreach (var chart in scenario.Charts.Where(c => c.Caption.Length > 0))
        {
            md.AppendLine("- " + chart.Title + " — " + chart.Caption);
        }
        foreach (var m in scenario.Measurements.Where(m => !string.IsNullOrEmpty(m.Note)))
        {
            md.AppendLine(Format.Inv($"- {m.Server}, round {m.Round}: {Escape(m.Note)}"));
        }
        foreach (var check in scenario.Checks)
        {
            md.AppendLine(Format.Inv($"- {(check.Pass ? "PASS" : "**FAIL**")}: {check.Target} — {check.Measured}"));
        }
        md.AppendLine();
        return md.ToString();
    }

    private static string Escape(string? text)
        => (text ?? "").Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
