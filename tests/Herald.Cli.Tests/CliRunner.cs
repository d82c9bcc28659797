using Herald.Testing;

namespace Herald.Cli.Tests;

/// <summary>Runs a <c>herald</c> command in process with captured standard streams.</summary>
internal static class CliRunner
{
    public static async Task<(int Code, string Output, string Error)> RunAsync(string? stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole(new StringReader(stdin ?? string.Empty), output, error);
        var code = await HeraldCommandLine.RunAsync(args, console).WaitAsync(Timeouts.Default);
        return (code, output.ToString(), error.ToString());
    }
}
