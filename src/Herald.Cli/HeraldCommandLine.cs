using System.CommandLine;

namespace Herald.Cli;

/// <summary>The <c>herald</c> command and its subcommands.</summary>
internal static class HeraldCommandLine
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Herald: a self-hosted real-time event hub with durable events and exact resume.");
        root.Subcommands.Add(ServeCommand.Create());
        return root;
    }
}
