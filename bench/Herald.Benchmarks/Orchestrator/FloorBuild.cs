using System.Diagnostics;

namespace Herald.Benchmarks.Orchestrator;

/// <summary>Builds the floor server (bench/floor/floor.c) with the machine's C compiler when its binary is missing or older than the source.</summary>
public static class FloorBuild
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task<string> EnsureBuiltAsync()
    {
        var source = Path.Combine(RepositoryPaths.Bench, "floor", "floor.c");
        var binary = Path.Combine(RepositoryPaths.Bench, "floor", "bin", "floor");
        await Gate.WaitAsync();
        try
        {
            if (File.Exists(binary) && File.GetLastWriteTimeUtc(binary) >= File.GetLastWriteTimeUtc(source))
            {
                return binary;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(binary)!);
            // Built beside and renamed, so that a concurrent run never starts a half-written binary.
            var temporary = binary + "." + Environment.ProcessId;
            var info = new ProcessStartInfo("cc", ["-O2", "-pthread", "-o", temporary, source]) { RedirectStandardError = true };
            Process compiler;
            try
            {
                compiler = Process.Start(info)!;
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                throw new InvalidOperationException("no C compiler (cc) to build the floor server: run eng/setup.sh (it installs gcc)", ex);
            }
            using (compiler)
            {
                var errors = await compiler.StandardError.ReadToEndAsync();
                await compiler.WaitForExitAsync();
                if (compiler.ExitCode != 0)
                {
                    throw new InvalidOperationException("building the floor server failed: " + errors);
                }
            }
            File.Move(temporary, binary, overwrite: true);
            return binary;
        }
        finally
        {
            Gate.Release();
        }
    }
}
