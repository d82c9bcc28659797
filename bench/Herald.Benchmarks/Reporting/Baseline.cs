using System.Text.Json;

namespace Herald.Benchmarks.Reporting;

/// <summary>
/// The comparison with the previous committed full run: each headline figure this run shares with it, and whether it
/// got worse beyond noise. A figure regresses when every round of this run is worse than the previous median by more
/// than the noise band: 10 %, or the previous run's own min–max spread when that is wider. Runs before 2026-12 wrote
/// no headlines; their figures are read from their tables, and the note says where the method changed since.
/// </summary>
public static class Baseline
{
    private const double MinimumNoise = 0.10;

    /// <summary>The newest full run's JSON in <paramref name="resultsDirectory"/> (files named *-full*.json) other than the one this run saves as <paramref name="except"/>, or null.</summary>
    public static string? Newest(string resultsDirectory, string? except = null)
        => Directory.Exists(resultsDirectory)
            ? Directory.GetFiles(resultsDirectory, "*-full*.json").Where(f => except is null || Path.GetFileNameWithoutExtension(f) != except).Order(StringComparer.Ordinal).LastOrDefault()
            : null;

    public static ScenarioResult Compare(BenchReport report, string? path)
    {
        var result = new ScenarioResult
        {
            Name = "baseline",
            Title = "8. Against the previous full run",
            Method = "Each headline figure this run shares with the previous committed full run (" + (path is null ? "none found" : Path.GetFileName(path)) + "). A figure regresses when every round of this run is worse than the previous median by more than the noise band: 10 %, or the previous run's own min–max spread when that is wider.",
        };
        if (path is null || !File.Exists(path))
        {
            result.Checks.Add(new TargetCheck("No regression beyond noise against the previous full run", "no previous full run to compare with", false));
            return result;
        }
        var previous = Read(path);
        var table = new Table { Headers = ["figure", "previous", "this run", "change", "verdict", "comparable?"] };
        var regressions = new List<string>();
        foreach (var (key, (old, comparability)) in previous)
        {
            if (!report.Headlines.TryGetValue(key, out var now))
            {
                continue;
            }
            var noise = Math.Max(MinimumNoise, old.Median == 0 ? 0 : (old.Max - old.Min) / old.Median);
            var worse = now.HigherIsBetter ? now.Max < old.Median * (1 - noise) : now.Min > old.Median * (1 + noise);
            var better = now.HigherIsBetter ? now.Min > old.Median * (1 + noise) : now.Max < old.Median * (1 - noise);
            var verdict = worse ? "regressed" : better ? "improved" : "within noise";
            if (worse)
            {
                regressions.Add(now.Label);
            }
            table.Rows.Add(
            [
                now.Label,
                Spread(old),
                Spread(now),
                old.Median == 0 ? "–" : Format.Inv($"{now.Median / old.Median:0.00}×"),
                verdict + Format.Inv($" (band ±{noise:P0})"),
                comparability,
            ]);
        }
        result.Tables.Add(table);
        result.Checks.Add(new TargetCheck(
            "No regression beyond noise against the previous full run",
            table.Rows.Count == 0 ? "no shared figures" : regressions.Count == 0 ? Format.Inv($"{table.Rows.Count} figures compared, none regressed") : "regressed: " + string.Join("; ", regressions),
            table.Rows.Count > 0 && regressions.Count == 0));
        return result;
    }

    private static string Spread(Headline h)
        => new Spread(h.Median, h.Min, h.Max, h.Rounds).Format(Math.Abs(h.Median) >= 100 ? "N0" : "0.00");

    /// <summary>The previous run's headline figures by key, each with a word on how comparable it is.</summary>
    private static Dictionary<string, (Headline Headline, string Comparability)> Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        var figures = new Dictionary<string, (Headline, string)>();
        if (root.TryGetProperty("headlines", out var headlines))
        {
            foreach (var property in headlines.EnumerateObject())
            {
                var h = property.Value;
                figures[property.Name] = (new Headline(
                    h.GetProperty("label").GetString() ?? property.Name,
                    h.GetProperty("median").GetDouble(),
                    h.GetProperty("min").GetDouble(),
                    h.GetProperty("max").GetDouble(),
                    h.GetProperty("rounds").GetInt32(),
                    h.GetProperty("higherIsBetter").GetBoolean()), "same method");
            }
            return figures;
        }

        // The 2026-11-28 format: one row per server and scenario, one round.
        foreach (var scenario in root.GetProperty("scenarios").EnumerateArray())
        {
            var name = scenario.GetProperty("name").GetString();
            foreach (var row in scenario.GetProperty("rows").EnumerateArray())
            {
                if (row.GetProperty("server").GetString() != "herald")
                {
                    continue;
                }
                var values = row.GetProperty("values");
                void Take(string source, string key, string label, bool higherIsBetter, string comparability)
                {
                    if (values.TryGetProperty(source, out var v) && v.ValueKind == JsonValueKind.Number)
                    {
                        var x = v.GetDouble();
                        figures[key] = (new Headline(label, x, x, x, 1, higherIsBetter), comparability);
                    }
                }
                switch (name)
                {
                    case "fanout":
                        Take("cpuPerMillion", "fanout.herald-memory.cpuPerDelivery@100000", "herald-memory: CPU µs per delivery at 100k/s", false, "partly: 10,000 subscribers then, 5,000 now, and a new load generator");
                        Take("p99", "fanout.herald-memory.p99@100000", "herald-memory: p99 ms at 100k/s", false, "partly: 10,000 subscribers then, 5,000 now, and a new load generator");
                        break;
                    case "saturation":
                        Take("sustained", "fanout.herald-memory.saturation", "herald-memory: saturation deliveries/s", true, "partly: 10,000 subscribers and 8 s steps then, 5,000 and 3 s now, and a new load generator");
                        break;
                    case "idle":
                        Take("perConnectionKiB", "fanout.herald.rssPerConnKiB", "herald: idle RSS KiB per connection", false, "partly: 15,000 connections and a 10 s heartbeat then, 5,000 and 5 s now");
                        break;
                    case "scale":
                        Take("held", "scale.herald.held", "herald: connections held at the open-files limit", true, "same method");
                        Take("rssPerConnKiB", "scale.herald.rssPerConnKiB", "herald: RSS KiB per connection at the limit", false, "partly: held 60 s then, 20 s now, 5 s heartbeat");
                        break;
                    case "ingest":
                        Take("single", "ingest.herald.httpSingle", "herald: ingest httpSingle events/s", true, "same method (10 s phases then, 5 s now)");
                        Take("batched", "ingest.herald.httpBatch", "herald: ingest httpBatch events/s", true, "same method (10 s phases then, 5 s now)");
                        break;
                    default:
                        break;
                }
            }
        }
        return figures;
    }
}
