using Herald.Benchmarks.Orchestrator;
using Herald.Benchmarks.Servers;

namespace Herald.Benchmarks.Tests;

/// <summary>
/// CI's smoke test of the benchmark harness: the quick mode end to end, every scenario, every server (the Node
/// references need bench/setup.sh, which eng/setup.sh runs; nothing is skipped).
/// </summary>
public sealed class QuickRunTests
{
    [Fact]
    public async Task QuickRunMeasuresEveryScenarioOnEveryServerAndWritesTheReports()
    {
        var output = Directory.CreateTempSubdirectory("herald-bench-test-");
        try
        {
            var report = await Runner.MeasureAsync(new RunOptions(Quick: true, Scenarios: [], OutputDirectory: output.FullName));

            Assert.True(report.HarnessErrors.Count == 0, string.Join(Environment.NewLine, report.HarnessErrors));
            Assert.Equal(["fanout", "fanout-19k", "curves", "ingest", "resume", "scale", "jetstream", "baseline"], report.Scenarios.Select(s => s.Name));
            var all = ServerSpec.All.Select(s => s.Name).ToList();
            Assert.Equal(all, report.Scenarios[0].Measurements.Select(m => m.Server));
            Assert.Equal(all, report.Scenarios[2].Measurements.Select(m => m.Server));
            foreach (var scenario in report.Scenarios.Where(s => s.Name is not ("curves" or "fanout-19k")))
            {
                Assert.NotEmpty(scenario.Checks);
            }

            // Every server delivered every event of every step, whatever its protocol.
            foreach (var measurement in report.Scenarios[0].Measurements)
            {
                var steps = measurement.Points("steps");
                Assert.NotEmpty(steps);
                Assert.All(steps, step => Assert.Equal(100, step["deliveredPct"], 3));
                Assert.All(steps, step => Assert.True(step["bytesPerDelivery"] > 100, measurement.Server + " reads its frames"));
            }
            // Topic routing: each server delivered each event to its topic's subscribers only.
            foreach (var measurement in report.Scenarios[2].Measurements)
            {
                Assert.All(measurement.Points("topics"), point => Assert.Equal(100, point["deliveredPct"], 3));
            }
            var resume = report.Scenarios[4].Measurements[0];
            Assert.True(resume.Get("dropReconnects") > 0);
            Assert.Equal(0, resume.Get("dropLost") + resume.Get("dropDuplicates") + resume.Get("dropOutOfOrder"));
            Assert.Equal(resume.Get("stormClients"), resume.Get("stormLive"));
            Assert.Equal(0, resume.Get("stormLost") + resume.Get("stormDuplicates"));
            var failover = report.Scenarios[6].Measurements.Single(m => m.Server == "herald-jetstream-r3");
            Assert.Equal(0, failover.Get("failoverLost") + failover.Get("failoverDuplicates"));
            Assert.False(double.IsNaN(failover.Get("failoverSeconds")));

            var markdown = await File.ReadAllTextAsync(Path.Combine(output.FullName, "latest.md"));
            var html = await File.ReadAllTextAsync(Path.Combine(output.FullName, "latest.html"));
            Assert.True(File.Exists(Path.Combine(output.FullName, "latest.json")));
            foreach (var scenario in report.Scenarios)
            {
                Assert.Contains("## " + scenario.Title, markdown, StringComparison.Ordinal);
            }
            Assert.Contains("<svg", html, StringComparison.Ordinal);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
