using Herald.Benchmarks.Orchestrator;
using Herald.Benchmarks.Servers;

namespace Herald.Benchmarks.Tests;

/// <summary>CI's smoke test of the benchmark harness: the quick mode end to end, every scenario against every server.</summary>
public sealed class QuickRunTests
{
    [Fact]
    public async Task QuickRunMeasuresEveryScenarioOnEveryServerAndWritesTheReports()
    {
        var output = Directory.CreateTempSubdirectory("herald-bench-test-");
        try
        {
            var report = await Runner.MeasureAsync(new RunOptions(Quick: true, Scenarios: [], OutputDirectory: output.FullName));

            Assert.Empty(report.HarnessErrors);
            Assert.Equal(["fanout", "saturation", "idle", "scale", "ingest", "resume"], report.Scenarios.Select(s => s.Name));
            foreach (var scenario in report.Scenarios)
            {
                Assert.Equal(ServerKinds.All.Select(ServerKinds.Name), scenario.Rows.Select(r => r.Server));
                Assert.NotEmpty(scenario.Checks);
            }
            var fanOut = report.Scenarios[0].Row("herald")!;
            Assert.Equal(100, fanOut.Get("deliveredPct"));
            var resume = report.Scenarios[^1].Row("herald")!;
            Assert.True(resume.Get("reconnects") > 0);
            Assert.Equal(0, resume.Get("lost"));
            Assert.Equal(0, resume.Get("duplicates"));
            Assert.Equal(0, resume.Get("outOfOrder"));

            var markdown = await File.ReadAllTextAsync(Path.Combine(output.FullName, "latest.md"));
            var html = await File.ReadAllTextAsync(Path.Combine(output.FullName, "latest.html"));
            Assert.True(File.Exists(Path.Combine(output.FullName, "latest.json")));
            foreach (var scenario in report.Scenarios)
            {
                Assert.Contains("## " + scenario.Title, markdown, StringComparison.Ordinal);
                foreach (var server in ServerKinds.All.Select(ServerKinds.Name))
                {
                    Assert.Contains("| " + server + " |", markdown, StringComparison.Ordinal);
                }
            }
            Assert.Contains("<svg", html, StringComparison.Ordinal);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
