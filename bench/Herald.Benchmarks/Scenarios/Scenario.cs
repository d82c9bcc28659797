using Herald.Benchmarks.Orchestrator;
using Herald.Benchmarks.Reporting;
using Herald.Benchmarks.Servers;

namespace Herald.Benchmarks.Scenarios;

/// <summary>
/// A scenario run for each server in interleaved rounds (round 1 for every server, then round 2, …), so that a slow
/// moment of the machine falls on every server alike and ratios can be taken per round. A server that throws gets
/// the error as its note, and the run is marked broken.
/// </summary>
public abstract class Scenario
{
    public abstract string Name { get; }

    public abstract string Title { get; }

    public async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var result = new ScenarioResult { Name = Name, Title = Title, Method = Describe(context) };
        var servers = ServersFor(context);
        var rounds = RoundsFor(context);
        for (var round = 1; round <= rounds; round++)
        {
            if (context.Quick)
            {
                // The quick mode only walks the paths: a few servers at a time, so its waits overlap.
                using var slots = new SemaphoreSlim(QuickParallelism);
                var measured = await Task.WhenAll(servers.Select(async server =>
                {
                    await slots.WaitAsync();
                    try
                    {
                        return await MeasureOneAsync(context, server, round, rounds, result);
                    }
                    finally
                    {
                        slots.Release();
                    }
                }));
                result.Measurements.AddRange(measured);
                continue;
            }
            foreach (var server in servers)
            {
                result.Measurements.Add(await MeasureOneAsync(context, server, round, rounds, result));
            }
        }
        try
        {
            Summarize(context, result);
        }
        catch (Exception ex)
        {
            context.HarnessErrors.Add($"{Name} summary: {ex}");
            BenchContext.Log($"{Name} summary failed: {ex}");
        }
        return result;
    }

    /// <summary>Servers measured at once in the quick mode (a full run measures one at a time).</summary>
    private const int QuickParallelism = 3;

    private async Task<Measurement> MeasureOneAsync(BenchContext context, ServerSpec server, int round, int rounds, ScenarioResult result)
    {
        BenchContext.Log($"{Name}: {server.Name}" + (rounds > 1 ? $", round {round}/{rounds}" : ""));
        var measurement = new Measurement { Server = server.Name, Round = round };
        try
        {
            await MeasureAsync(context, server, measurement, result);
        }
        catch (Exception ex)
        {
            measurement.AddNote("harness error: " + ex.Message);
            lock (context.HarnessErrors)
            {
                context.HarnessErrors.Add($"{Name}/{server.Name}: {ex}");
            }
            BenchContext.Log($"{Name}/{server.Name} failed: {ex}");
        }
        return measurement;
    }

    /// <summary>Rounds of this scenario: the run's rounds for headline scenarios, one for curves.</summary>
    protected virtual int RoundsFor(BenchContext context) => 1;

    protected virtual IReadOnlyList<ServerSpec> ServersFor(BenchContext context) => context.Servers;

    protected abstract string Describe(BenchContext context);

    protected abstract Task MeasureAsync(BenchContext context, ServerSpec server, Measurement measurement, ScenarioResult result);

    /// <summary>Adds tables, charts, notes and target checks once every server has been measured.</summary>
    protected abstract void Summarize(BenchContext context, ScenarioResult result);

    protected static string Errors(IEnumerable<string> errors)
    {
        var list = errors.ToList();
        return list.Count == 0 ? "" : string.Join("; ", list);
    }

    /// <summary>The servers of the run that are Herald's (or, with <paramref name="alsoHeraldMemory"/> false, only the default one).</summary>
    protected static IReadOnlyList<ServerSpec> HeraldOnly(BenchContext context, bool alsoHeraldMemory = false)
        => [.. context.Servers.Where(s => s == ServerSpec.Herald || (alsoHeraldMemory && s == ServerSpec.HeraldMemory))];
}
