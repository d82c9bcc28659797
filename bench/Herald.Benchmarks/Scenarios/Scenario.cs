using Herald.Benchmarks.Orchestrator;
using Herald.Benchmarks.Reporting;
using Herald.Benchmarks.Servers;

namespace Herald.Benchmarks.Scenarios;

/// <summary>A scenario run once per server; a server that throws gets a row with the error, and the run is marked broken.</summary>
public abstract class Scenario
{
    public abstract string Name { get; }

    public async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var result = CreateResult(context);
        foreach (var kind in context.Servers)
        {
            var name = ServerKinds.Name(kind);
            BenchContext.Log($"{Name}: {name}");
            var row = new ServerRow { Server = name };
            try
            {
                await MeasureAsync(context, kind, row, result);
            }
            catch (Exception ex)
            {
                row.Note = "harness error: " + ex.Message;
                context.HarnessErrors.Add($"{Name}/{name}: {ex}");
                BenchContext.Log($"{Name}/{name} failed: {ex}");
            }
            result.Rows.Add(row);
        }
        Summarize(context, result);
        return result;
    }

    protected abstract ScenarioResult CreateResult(BenchContext context);

    protected abstract Task MeasureAsync(BenchContext context, ServerKind kind, ServerRow row, ScenarioResult result);

    /// <summary>Adds ratios, target checks and charts once every server has a row.</summary>
    protected abstract void Summarize(BenchContext context, ScenarioResult result);

    protected static string Errors(IEnumerable<string> errors)
    {
        var list = errors.ToList();
        return list.Count == 0 ? "" : string.Join("; ", list);
    }
}
