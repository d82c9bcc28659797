using System.Diagnostics;

namespace Herald.Testing;

/// <summary>
/// A program a test needs from the machine. Tests never install anything: <c>eng/setup.sh</c> does, and a
/// test whose prerequisite is missing fails at once with a one-line hint saying so.
/// </summary>
public static class Prerequisite
{
    /// <summary>Fails with a hint unless <paramref name="file"/> runs with <paramref name="args"/> and exits 0.</summary>
    /// <param name="what">What is missing, as a user would install it (a Debian package name).</param>
    /// <param name="file">The program to run.</param>
    /// <param name="args">Arguments that make it prove it works, such as <c>-c "import websockets"</c>.</param>
    public static async Task RequireAsync(string what, string file, params string[] args)
    {
        if (await ExitCodeAsync(file, args).ConfigureAwait(false) != 0)
        {
            throw new InvalidOperationException($"{what} is missing: run eng/setup.sh (it installs what the tests need), then test again.");
        }
    }

    private static async Task<int> ExitCodeAsync(string file, string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}
