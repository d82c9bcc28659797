using System.Text;

namespace Herald.Benchmarks.Reporting;

/// <summary>Renders latest.md: machine, every figure, every ratio and the PASS/FAIL list.</summary>
public static class MarkdownReport
{
    public static string Render(BenchReport report)
    {
        var md = new StringBuilder();
        var m = report.Machine;
        md.AppendLine("# Herald benchmark results").AppendLine();
        md.AppendLine(Format.Inv($"- Date: {report.Started:yyyy-MM-dd HH:mm:ss zzz} ({(report.Quick ? "quick smoke run: tiny counts, the figures mean little" : "full run")}, took {report.Duration.TotalMinutes:0.0} min)"));
        md.AppendLine(Format.Inv($"- Machine: {m.Cpu}, {m.Cores} cores, {m.Memory} RAM, {m.Os}"));
        md.AppendLine(Format.Inv($"- Runtime: {m.Runtime}; GC and JIT: {m.GcAndJit}; open files (soft hard): {m.OpenFilesLimit}; load average at start: {m.LoadAverage}"));
        md.AppendLine("- Servers: **herald** (HeraldServer.Build, memory store unless noted), **raw** (Kestrel WebSocket broadcaster, serialize once, bounded queue per connection), **signalr** (ASP.NET Core SignalR hub, `Clients.All`, JSON protocol). All run as separate processes of the same build; load generators are separate processes on the same machine.");
        md.AppendLine();
        md.AppendLine("## Targets").AppendLine();
        md.AppendLine("| target | measured | result |").AppendLine("|---|---|---|");
        foreach (var check in report.Scenarios.SelectMany(s => s.Checks))
        {
            md.AppendLine(Format.Inv($"| {check.Target} | {check.Measured} | {(check.Pass ? "PASS" : "**FAIL**")} |"));
        }
        md.AppendLine();
        foreach (var scenario in report.Scenarios)
        {
            md.AppendLine("## " + scenario.Title).AppendLine();
            md.AppendLine(scenario.Method).AppendLine();
            md.Append("| server |");
            foreach (var column in scenario.Columns)
            {
                md.Append(' ').Append(column.Header).Append(" |");
            }
            md.AppendLine(" notes |");
            md.Append("|---|").Append(string.Concat(Enumerable.Repeat("---:|", scenario.Columns.Count))).AppendLine("---|");
            foreach (var row in scenario.Rows)
            {
                md.Append("| ").Append(row.Server).Append(" |");
                foreach (var column in scenario.Columns)
                {
                    md.Append(' ').Append(Format.Number(row.Get(column.Key), column.Format)).Append(" |");
                }
                md.Append(' ').Append(Escape(row.Note)).AppendLine(" |");
            }
            md.AppendLine();
            foreach (var line in scenario.Ratios.Concat(scenario.Notes))
            {
                md.AppendLine("- " + line);
            }
            foreach (var check in scenario.Checks)
            {
                md.AppendLine(Format.Inv($"- {(check.Pass ? "PASS" : "**FAIL**")}: {check.Target} — {check.Measured}"));
            }
            md.AppendLine();
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

    private static string Escape(string? text)
    {
        return (text ?? "").Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
    }
}
