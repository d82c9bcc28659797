using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace Herald.Cli;

/// <summary><c>herald key create</c>: makes an API key and prints the configuration that holds its hash.</summary>
internal static class KeyCommand
{
    public static Command Create(CliConsole console)
    {
        var name = new Option<string>("--name") { Description = "The key's name; it authenticates as key:NAME.", Required = true };
        var subscribe = new Option<string[]>("--subscribe") { Description = "A topic pattern the key may subscribe to and read (repeat for more).", AllowMultipleArgumentsPerToken = false };
        var publish = new Option<string[]>("--publish") { Description = "A topic pattern the key may publish to (repeat for more)." };
        var messages = new Option<bool>("--messages") { Description = "The key may send direct messages to sessions." };
        var admin = new Option<bool>("--admin") { Description = "The key administers the hub: connections, sessions, metrics." };
        var index = new Option<int>("--index") { Description = "The N of Herald:Auth:ApiKeys:N in the printed settings (default 0).", DefaultValueFactory = _ => 0 };
        var create = new Command("create", "Make a new API key. Prints the key (give it to the publisher; it is shown once) and the settings that configure its hash.")
        {
            name, subscribe, publish, messages, admin, index,
        };
        create.SetAction(async (parseResult, cancellationToken) =>
        {
            foreach (var pattern in (parseResult.GetValue(subscribe) ?? []).Concat(parseResult.GetValue(publish) ?? []))
            {
                if (!TopicFilter.TryParse(pattern, out _, out var error))
                {
                    await console.Error.WriteLineAsync($"herald key create: {error}");
                    return HeraldCommandLine.UsageError;
                }
            }

            var key = ApiKeys.Create();
            var prefix = string.Create(CultureInfo.InvariantCulture, $"Herald:Auth:ApiKeys:{parseResult.GetValue(index)}");
            var settings = new List<string> { $"--{prefix}:Name={parseResult.GetValue(name)}", $"--{prefix}:Hash={ApiKeys.Hash(key)}" };
            settings.AddRange((parseResult.GetValue(subscribe) ?? []).Select((p, i) => string.Create(CultureInfo.InvariantCulture, $"--{prefix}:Subscribe:{i}={p}")));
            settings.AddRange((parseResult.GetValue(publish) ?? []).Select((p, i) => string.Create(CultureInfo.InvariantCulture, $"--{prefix}:Publish:{i}={p}")));
            if (parseResult.GetValue(messages))
            {
                settings.Add($"--{prefix}:Messages=true");
            }

            if (parseResult.GetValue(admin))
            {
                settings.Add($"--{prefix}:Admin=true");
            }

            var json = JsonSerializer.Serialize(new
            {
                Name = parseResult.GetValue(name),
                Hash = ApiKeys.Hash(key),
                Subscribe = parseResult.GetValue(subscribe) ?? [],
                Publish = parseResult.GetValue(publish) ?? [],
                Messages = parseResult.GetValue(messages),
                Admin = parseResult.GetValue(admin),
            });
            await console.Out.WriteLineAsync(key);
            await console.Error.WriteLineAsync("The key above is shown once: give it to its user (Authorization: Bearer KEY). Configure only its hash:");
            await console.Error.WriteLineAsync("  " + string.Join(' ', settings));
            await console.Error.WriteLineAsync($"  or in appsettings.json, an entry of Herald:Auth:ApiKeys: {json}");
            return 0;
        });
        return new Command("key", "API keys for publishers and services.") { create };
    }
}
