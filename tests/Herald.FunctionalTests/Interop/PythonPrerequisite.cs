using System.Diagnostics;

namespace Herald.FunctionalTests.Interop;

/// <summary>Makes sure Debian's Python with the <c>websockets</c> package is there, installing it when missing (CI runs as root).</summary>
internal static class PythonPrerequisite
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<Task> Ready = new(InstallIfMissingAsync);

    public static Task EnsureAsync() => Ready.Value;

    private static async Task InstallIfMissingAsync()
    {
        if (await RunAsync(Python, "-c", "import websockets") == 0)
        {
            return;
        }

        await RunAsync("apt-get", "update", "-qq");
        var installed = await RunAsync("apt-get", "install", "-y", "-qq", "python3-websockets");
        if (installed != 0 || await RunAsync(Python, "-c", "import websockets") != 0)
        {
            throw new InvalidOperationException("python3-websockets is missing and could not be installed with apt-get.");
        }
    }

    private static async Task<int> RunAsync(string file, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}
