using System.CommandLine;

namespace Herald.Cli;

/// <summary>The <c>herald</c> command and its subcommands.</summary>
internal static class HeraldCommandLine
{
    /// <summary>
    /// Parses <paramref name="args"/>. Response files are off: <c>@file</c> is Herald's own syntax
    /// (<c>herald publish --data @file</c>).
    /// </summary>
    public static ParseResult Parse(string[] args, CliConsole? console = null)
        => Create(console).Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });

    /// <summary>Builds the command line; <paramref name="console"/> defaults to the process's standard streams.</summary>
    public static RootCommand Create(CliConsole? console = null)
    {
        console ??= CliConsole.System;
        var root = new RootCommand("Herald: a self-hosted real-time event hub with durable events and exact resume.");
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(PublishCommand.Create(console));
        root.Subcommands.Add(TailCommand.Create(console));
        root.Subcommands.Add(UniFiCommand.Create(console));
        return root;
    }
}
