using System.Runtime.InteropServices;

namespace Herald.Benchmarks.Reporting;

/// <summary>The machine a run measured, for the report header.</summary>
public sealed record MachineInfo(string Cpu, int Cores, string Memory, string Os, string Runtime, string LoadAverage, string OpenFilesLimit)
{
    public static MachineInfo Read()
        => new(
            ProcLine("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
            Environment.ProcessorCount,
            ProcLine("/proc/meminfo", "MemTotal") ?? "?",
            RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription,
            LoadAverageNow(),
            ProcLine("/proc/self/limits", "Max open files") ?? "?");

    public static string LoadAverageNow() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?";

    /// <summary>The 1-minute load average (NaN where /proc is missing).</summary>
    public static double LoadAverageOneMinute()
        => double.TryParse(LoadAverageNow().Split(' ')[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : double.NaN;

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
