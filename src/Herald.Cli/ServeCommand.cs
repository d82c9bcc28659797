using System.CommandLine;
using Herald.Server;

namespace Herald.Cli;

/// <summary><c>herald serve</c>: runs the server until Ctrl-C.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = $"Addresses to listen on, separated by ';' (default {HeraldServer.DefaultUrl}).",
        };
        var command = new Command("serve", "Run the Herald server. Any --Herald:Setting=value is passed to configuration.")
        {
            urls,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var args = new List<string>(parseResult.UnmatchedTokens);
            if (parseResult.GetValue(urls) is { Length: > 0 } value)
            {
                args.Add($"--urls={value}");
            }

            await using var app = HeraldServer.Build([.. args]);
            await app.RunAsync().ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
