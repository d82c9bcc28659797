using System.Diagnostics;
using System.Text.Json;
using Herald.Benchmarks.Reporting;
using Herald.Benchmarks.Scenarios;
using Herald.Benchmarks.Shared;

namespace Herald.Benchmarks.Orchestrator;

/// <summary>
/// The <c>run</c> subcommand: every scenario against every server, then latest.md, latest.html and latest.json. Exits 0
/// whether targets pass or fail; 1 only when the harness itself broke.
/// </summary>
public static class Runner
{
    public static IReadOnlyList<Scenario> AllScenarios()
        =>
        [
            new FanOutScenario(large: false), new FanOutScenario(large: true), new CurvesScenario(), new IngestScenario(),
            new ResumeScenario(), new ScaleScenario(), new JetStreamScenario(),
        ];

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
        var report = new BenchReport { Started = DateTimeOffset.Now, Quick = options.Quick, Machine = MachineInfo.Read(), Command = options.Command };
        var temp = Directory.CreateTempSubdirectory("herald-bench-");
        var context = new BenchContext { Sizes = options.Quick ? Sizes.Quick : Sizes.Full, Options = options, TempDirectory = temp.FullName };
        report.Settings.AddRange(Settings(context));
        try
        {
            var unknown = options.Scenarios.Except(AllScenarios().Select(s => s.Name), StringComparer.OrdinalIgnoreCase).ToList();
            if (unknown.Count > 0)
            {
                throw new ArgumentException("unknown scenario: " + string.Join(", ", unknown) + "; known: " + string.Join(", ", AllScenarios().Select(s => s.Name)));
            }
            var chosen = AllScenarios().Where(s => options.Scenarios.Count == 0 || options.Scenarios.Contains(s.Name, StringComparer.OrdinalIgnoreCase)).ToList();
            // A full run measures one scenario at a time; the quick mode only walks the paths, two scenarios at a
            // time, so that waits (a NATS cluster electing its leader, servers starting) overlap.
            // The NATS cluster's start-up is the longest wait, so it goes first.
            using var slots = new SemaphoreSlim(options.Quick ? 2 : 1);
            var startOrder = options.Quick ? chosen.OrderBy(s => s is JetStreamScenario ? 0 : 1).ToList() : chosen;
            var running = startOrder.ToDictionary(scenario => scenario, async scenario =>
            {
                await slots.WaitAsync();
                try
                {
                    var result = await scenario.RunAsync(context);
                    Console.WriteLine(MarkdownReport.RenderScenario(result));
                    return result;
                }
                finally
                {
                    slots.Release();
                }
            });
            await Task.WhenAll(running.Values);
            foreach (var result in chosen.Select(scenario => running[scenario].Result))
            {
                report.Scenarios.Add(result);
                foreach (var (key, headline) in result.Headlines)
                {
                    report.Headlines[key] = headline;
                }
            }
            var baseline = Baseline.Compare(report, options.Baseline ?? (RepositoryPaths.Root is { } root ? Baseline.Newest(Path.Combine(root, "bench", "results"), except: options.Save) : null));
            report.Scenarios.Add(baseline);
            Console.WriteLine(MarkdownReport.RenderScenario(baseline));
        }
        finally
        {
            report.Duration = clock.Elapsed;
            report.LoadAverageAtEnd = MachineInfo.LoadAverageNow();
            report.HarnessErrors.AddRange(context.HarnessErrors);
            Write(options.OutputDirectory, "latest", report);
            if (options.Save is { } name)
            {
                Write(options.OutputDirectory, name, report);
            }
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

    /// <summary>The settings every server and the load ran with, for the report's header.</summary>
    private static IEnumerable<string> Settings(BenchContext context)
    {
        yield return $".NET servers (herald, raw, signalr): {context.Options.Gc} GC and tier-up without the call-counting delay for all of them (Herald's own settings; `--gc server` runs them all with server GC); Node 20 references and nats-server on their defaults; the floor with {context.Options.FloorWriters} writer thread(s).";
        yield return $"Heartbeat: every server pings each connection every {context.Sizes.Heartbeat.TotalSeconds:0.#} s; subscribers answer each protocol's ping.";
        yield return "Load: subscribers in `load` worker processes of at most " + LoadGroup.MaxPerProcess.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " connections, one epoll thread each (libc read/write, no runtime socket engine), bound to 127.0.0.2–127.0.0.9; publishers on one thread in the orchestrator.";
        yield return "Servers: " + string.Join("; ", context.Servers.Select(s => $"**{s.Name}**: {s.Description}"));
    }

    private static void Write(string directory, string name, BenchReport report)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, name + ".md"), MarkdownReport.Render(report));
        File.WriteAllText(Path.Combine(directory, name + ".html"), HtmlReport.Render(report));
        File.WriteAllText(Path.Combine(directory, name + ".json"), JsonSerializer.Serialize(report, BenchJson.Indented));
    }
}
