using System.CommandLine;
using Herald.Server;
using Microsoft.Extensions.Options;

namespace Herald.Cli;

/// <summary><c>herald serve</c>: runs the server until Ctrl-C or SIGTERM.</summary>
internal static class ServeCommand
{
    private const string Description = """
        Run the Herald server until Ctrl-C or SIGTERM (which closes WebSockets with 1001, finishes accepted publishes and exits 0).
        Settings come from appsettings.json, HERALD__* environment variables (HERALD__SQLITE__PATH) and --Key=value arguments.
        Main settings:
          --Herald:Store=sqlite|memory|jetstream     event store (default sqlite; jetstream with --nats)
          --nats nats://a:4222,nats://b:4222         run as one node of a hub on NATS JetStream (Herald:Nats:Url)
          --Herald:Nats:Replicas=3                   stream copies in a three-server NATS cluster (default 1)
          --Herald:NodeId=node-a                     this node's name (default: the machine name)
          --Herald:Sqlite:Path=data/herald.db        database file
          --Herald:Sqlite:Synchronous=Full|Normal    durability of each commit (default Full)
          --Herald:Sqlite:MaxEvents=N, --Herald:Sqlite:MaxAge=7.00:00:00   retention (default: keep all)
          --Herald:MaxConnections=N                  WebSocket and SSE connections (default: open-file limit less headroom)
          --Herald:HeartbeatInterval=00:00:30        ping interval; --Herald:ClientTimeout=00:02:00 closes silent clients
          --Herald:AllowedOrigins:0=https://app.example   extra browser origins
          --Herald:AllowClientPublish=true           let WebSocket clients publish
          --Herald:Metrics:Enabled=true, --Herald:Metrics:Path=/metrics   Prometheus endpoint
          --Logging:LogLevel:Default=Information     log level; --log-format json for JSON lines
        Every setting, with defaults and units: docs/configuration.md. An unknown option or setting is an error (exit code 2).
        """;

    // The generic host's own settings, which ASP.NET Core reads from the command line.
    private static readonly string[] HostSwitches = ["--environment", "--contentRoot", "--applicationName"];

    public static Command Create(CliConsole console)
    {
        var urls = new Option<string>("--urls")
        {
            Description = $"Addresses to listen on, separated by ';' (default {HeraldServer.DefaultUrl}).",
        };
        var nats = new Option<string>("--nats")
        {
            Description = "NATS servers, comma-separated (nats://a:4222,nats://b:4222): keep events and sessions in NATS JetStream, shared with every node on them. Same as Herald:Nats:Url.",
        };
        var logFormat = new Option<string>("--log-format")
        {
            Description = "Console log lines: 'simple' (default) or 'json' (one JSON object per line, with scopes). Same as Logging:Format.",
        };
        logFormat.AcceptOnlyFromAmong("simple", "json");
        var command = new Command("serve", Description)
        {
            urls,
            nats,
            logFormat,
        };

        // Configuration keys (--Herald:Setting=value) pass through; anything else that looks like an option is checked below.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var args = new List<string>(parseResult.UnmatchedTokens);
            if (UnknownOption(args, command) is { } unknown)
            {
                await console.Error.WriteLineAsync($"herald serve: {unknown}").ConfigureAwait(false);
                return HeraldCommandLine.UsageError;
            }

            if (parseResult.GetValue(urls) is { Length: > 0 } value)
            {
                args.Add($"--urls={value}");
            }

            if (parseResult.GetValue(nats) is { Length: > 0 } servers)
            {
                args.Add($"--Herald:Nats:Url={servers}");
            }

            if (parseResult.GetValue(logFormat) is { Length: > 0 } format)
            {
                args.Add($"--Logging:Format={format}");
            }

            try
            {
                await using var app = HeraldServer.Build([.. args]);
                await app.RunAsync().ConfigureAwait(false);
                return 0;
            }
            catch (HeraldConfigurationException ex)
            {
                return await RefuseAsync(console, ex.Errors).ConfigureAwait(false);
            }
            catch (OptionsValidationException ex)
            {
                return await RefuseAsync(console, ex.Failures).ConfigureAwait(false);
            }
            catch (EventStoreUnavailableException ex)
            {
                // The store could not start (NATS unreachable, a database locked by another process): say so, without a stack.
                await console.Error.WriteLineAsync($"herald serve: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    /// <summary>
    /// The complaint about the first token that is neither a configuration key (<c>--Section:Key</c>, with <c>=value</c>
    /// or a value after it) nor a value, naming the nearest of serve's options when one is close; null when all are fine.
    /// </summary>
    private static string? UnknownOption(List<string> tokens, Command command)
    {
        string[] options = [.. command.Options.Select(o => o.Name).Where(n => n.StartsWith("--", StringComparison.Ordinal)), "--help"];
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (!token.StartsWith('-'))
            {
                if (i == 0 || !tokens[i - 1].StartsWith("--", StringComparison.Ordinal) || tokens[i - 1].Contains('=', StringComparison.Ordinal))
                {
                    return $"unexpected argument '{token}'; settings are given as --Section:Key=value.";
                }

                continue;
            }

            var name = token.Split('=', 2)[0];
            if (name.StartsWith("--", StringComparison.Ordinal) && (name.Contains(':', StringComparison.Ordinal) || HostSwitches.Contains(name, StringComparer.OrdinalIgnoreCase)))
            {
                continue;
            }

            var nearest = options.MinBy(o => Distance(name, o))!;
            return Distance(name, nearest) <= Math.Max(2, nearest.Length / 3)
                ? $"unknown option {name}; did you mean {nearest}?"
                : $"unknown option {name}; serve takes {string.Join(", ", options)} and settings as --Section:Key=value (see docs/configuration.md).";
        }

        return null;
    }

    private static async Task<int> RefuseAsync(CliConsole console, IEnumerable<string> errors)
    {
        foreach (var error in errors)
        {
            await console.Error.WriteLineAsync($"herald serve: {error}").ConfigureAwait(false);
        }

        return HeraldCommandLine.UsageError;
    }

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j - 1] + 1, above + 1), diagonal + (char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }
}
