using System.Runtime.InteropServices;
using Herald.Benchmarks.Orchestrator;
using Herald.Benchmarks.Servers;

namespace Herald.Benchmarks.Reporting;

/// <summary>The machine a run measured, for the report header.</summary>
public sealed record MachineInfo(string Cpu, int Cores, string Memory, string Os, string Runtime, string LoadAverage, string OpenFilesLimit, string GcAndJit)
{
    public static MachineInfo Read()
    {
        return new MachineInfo(
            ProcLine("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
            Environment.ProcessorCount,
            ProcLine("/proc/meminfo", "MemTotal") ?? "?",
            RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription,
            File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?",
            ProcLine("/proc/self/limits", "Max open files") ?? "?",
            DescribeGcAndJit());
    }

    /// <summary>
    /// Each server's GC mode (the orchestrator's own unless its process is started with another) and whether it
    /// tiers up without the call-counting delay.
    /// </summary>
    private static string DescribeGcAndJit()
    {
        var own = System.Runtime.GCSettings.IsServerGC ? "server" : "workstation";
        return string.Join(", ", ServerKinds.All.Select(kind =>
        {
            var environment = ServerProcess.Environment(kind);
            var gc = environment.TryGetValue("DOTNET_gcServer", out var value) ? (value == "0" ? "workstation" : "server") : own;
            var tiering = environment.TryGetValue(ServerProcess.CallCountingDelayVariable, out var delay) && delay == "0" ? " (tier-up without delay)" : "";
            return ServerKinds.Name(kind) + " " + gc + tiering;
        }));
    }

    private static string? ProcLine(string path, string key)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 ? line[(colon + 1)..].Trim() : string.Join(' ', line[key.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
