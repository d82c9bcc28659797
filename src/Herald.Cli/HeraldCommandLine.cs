using System.CommandLine;

namespace Herald.Cli;

/// <summary>The <c>herald</c> command and its subcommands.</summary>
internal static class HeraldCommandLine
{
    /// <summary>The exit code of a command line or configuration Herald cannot use: 2.</summary>
    public const int UsageError = 2;

    /// <summary>
    /// Parses <paramref name="args"/>. Response files are off: <c>@file</c> is Herald's own syntax
    /// (<c>herald publish --data @file</c>).
    /// </summary>
    public static ParseResult Parse(string[] args, CliConsole? console = null)
        => Create(console).Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });

    /// <summary>
    /// Parses and runs <paramref name="args"/>: a command line that does not parse prints its errors and exits with
    /// <see cref="UsageError"/>; help and output go to <paramref name="console"/>.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, CliConsole? console = null)
    {
        console ??= CliConsole.System;
        var result = Parse(args, console);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                await console.Error.WriteLineAsync($"herald: {error.Message}").ConfigureAwait(false);
            }

            await console.Error.WriteLineAsync("Run 'herald --help' (or 'herald COMMAND --help') for usage.").ConfigureAwait(false);
            return UsageError;
        }

        return await result.InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Error }).ConfigureAwait(false);
    }

    /// <summary>Builds the command line; <paramref name="console"/> defaults to the process's standard streams.</summary>
    public static RootCommand Create(CliConsole? console = null)
    {
        console ??= CliConsole.System;
        var root = new RootCommand("Herald: a self-hosted real-time event hub with durable events and exact resume.");
        root.Subcommands.Add(ServeCommand.Create(console));
        root.Subcommands.Add(PublishCommand.Create(console));
        root.Subcommands.Add(TailCommand.Create(console));
        root.Subcommands.Add(UniFiCommand.Create(console));
        root.Subcommands.Add(KeyCommand.Create(console));
        root.Subcommands.Add(TokenCommand.Create(console));
        return root;
    }
}
