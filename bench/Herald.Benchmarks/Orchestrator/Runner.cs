using System.Diagnostics;
using System.Text.Json;
using Herald.Benchmarks.Reporting;
using Herald.Benchmarks.Scenarios;
using Herald.Benchmarks.Shared;

namespace Herald.Benchmarks.Orchestrator;

/// <summary>
/// The <c>run</c> subcommand: every scenario against every server, then latest.md, latest.html and
/// latest.json. Exits 0 whether targets pass or fail; 1 only when the harness itself broke.
/// </summary>
public static class Runner
{
    public static IReadOnlyList<Scenario> AllScenarios()
    {
        return [new FanOutScenario(), new SaturationScenario(), new IdleMemoryScenario(), new ScaleScenario(), new IngestScenario(), new ResumeScenario()];
    }

    public static async Task<int> RunAsync(RunOptions options)
    {
        var report = await MeasureAsync(options);
        foreach (var check in report.Scenarios.SelectMany(s => s.Checks))
        {
            Console.WriteLine($"{(check.Pass ? "PASS" : "FAIL")}  {check.Target}: {check.Measured}");
        }
        Console.WriteLine("report: " + Path.Combine(options.OutputDirectory, "latest.md"));
        return report.HarnessErrors.Count == 0 ? 0 : 1;
    }

    public static async Task<BenchReport> MeasureAsync(RunOptions options)
    {
        var clock = Stopwatch.StartNew();
        var report = new BenchReport { Started = DateTimeOffset.Now, Quick = options.Quick, Machine = MachineInfo.Read() };
        var temp = Directory.CreateTempSubdirectory("herald-bench-");
        var context = new BenchContext { Sizes = options.Quick ? Sizes.Quick : Sizes.Full, Quick = options.Quick, TempDirectory = temp.FullName, Servers = options.Servers };
        try
        {
            var unknown = options.Scenarios.Except(AllScenarios().Select(s => s.Name), StringComparer.OrdinalIgnoreCase).ToList();
            if (unknown.Count > 0)
            {
                throw new ArgumentException("unknown scenario: " + string.Join(", ", unknown) + "; known: " + string.Join(", ", AllScenarios().Select(s => s.Name)));
            }
            foreach (var scenario in AllScenarios())
            {
                if (options.Scenarios.Count > 0 && !options.Scenarios.Contains(scenario.Name, StringComparer.OrdinalIgnoreCase))
                {
                    continue;
                }
                var result = await scenario.RunAsync(context);
                report.Scenarios.Add(result);
                foreach (var line in MarkdownReport.Render(new BenchReport { Started = report.Started, Quick = options.Quick, Machine = report.Machine, Scenarios = { result } }).Split('\n').SkipWhile(l => !l.StartsWith("## " + result.Title, StringComparison.Ordinal)))
                {
                    Console.WriteLine(line.TrimEnd());
                }
            }
        }
        finally
        {
            report.Duration = clock.Elapsed;
            report.HarnessErrors.AddRange(context.HarnessErrors);
            Write(options.OutputDirectory, report);
            try
            {
                temp.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A server still closing its database; the temp directory is cleaned by the OS later.
            }
        }
        return report;
    }

    private static void Write(string directory, BenchReport report)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "latest.md"), MarkdownReport.Render(report));
        File.WriteAllText(Path.Combine(directory, "latest.html"), HtmlReport.Render(report));
        File.WriteAllText(Path.Combine(directory, "latest.json"), JsonSerializer.Serialize(report, BenchJson.Indented));
    }
}
