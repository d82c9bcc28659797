using Herald.Benchmarks.Load;
using Herald.Benchmarks.Orchestrator;
using Herald.Benchmarks.Servers;

namespace Herald.Benchmarks;

/// <summary>Entry point: <c>run</c> (the orchestrator), <c>server</c> and <c>load</c> (its child processes).</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var command = args.Length == 0 ? "run" : args[0];
        var rest = args.Skip(1).ToArray();
        switch (command)
        {
            case "run":
                return await Runner.RunAsync(RunOptions.Parse(rest));
            case "server":
                return await BenchServer.RunAsync(ServerOptions.Parse(rest));
            case "load":
                return await new LoadWorker(LoadOptions.Parse(rest)).RunAsync();
            default:
                await Console.Error.WriteLineAsync("usage: Herald.Benchmarks run [--quick] [--scenario a,b] [--servers a,b] [--rounds N] [--gc workstation|server] [--out DIR] | server --kind K --port P | load --kind K --urls U --connections N");
                return 2;
        }
    }
}
