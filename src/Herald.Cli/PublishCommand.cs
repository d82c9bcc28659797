using System.CommandLine;
using System.Text.Json;
using Herald.Client;

namespace Herald.Cli;

/// <summary><c>herald publish</c>: publishes events over HTTP and prints their ids.</summary>
internal static class PublishCommand
{
    public const int Failed = 1;
    public const int InvalidInput = 2;

    public static Command Create(CliConsole console)
    {
        var server = ServerOption.Create();
        var topic = new Option<string>("--topic") { Description = "The event's topic, for example cameras/front.", Required = true };
        var type = new Option<string>("--type") { Description = "The event's type, for example motion.", Required = true };
        var data = new Option<string?>("--data")
        {
            Description = "The data as JSON, or @file to read it from a file. Without --data, each line of standard input is one JSON value, published as one event.",
        };
        var source = new Option<string?>("--source") { Description = "Who publishes the event." };
        var command = new Command("publish", "Publish events; prints each new event id on its own line.")
        {
            server, topic, type, data, source,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new HeraldClientOptions { ServerUri = parseResult.GetValue(server)! };
            await using var client = new HeraldClient(options);
            var topicValue = parseResult.GetValue(topic)!;
            var typeValue = parseResult.GetValue(type)!;
            var sourceValue = parseResult.GetValue(source);
            try
            {
                if (parseResult.GetValue(data) is { } inline)
                {
                    var text = inline.StartsWith('@') ? await File.ReadAllTextAsync(inline[1..], cancellationToken) : inline;
                    if (!TryParse(text, out var value, out var error))
                    {
                        await console.Error.WriteLineAsync($"herald publish: --data is not valid JSON: {error}");
                        return InvalidInput;
                    }

                    var id = await client.PublishAsync(topicValue, typeValue, value, sourceValue, cancellationToken);
                    await console.Out.WriteLineAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    return 0;
                }

                var line = 0;
                while (await console.In.ReadLineAsync(cancellationToken) is { } text)
                {
                    line++;
                    if (string.IsNullOrWhiteSpace(text))
                    {
                        continue;
                    }

                    if (!TryParse(text, out var value, out var error))
                    {
                        await console.Error.WriteLineAsync($"herald publish: line {line} of standard input is not valid JSON: {error}");
                        return InvalidInput;
                    }

                    var id = await client.PublishAsync(topicValue, typeValue, value, sourceValue, cancellationToken);
                    await console.Out.WriteLineAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                return 0;
            }
            catch (HeraldClientException ex)
            {
                await console.Error.WriteLineAsync($"herald publish: the server refused the event ({ex.StatusCode}): {ex.Message}");
                return Failed;
            }
            catch (HttpRequestException ex)
            {
                await console.Error.WriteLineAsync($"herald publish: cannot reach {options.ServerUri}: {ex.Message}");
                return Failed;
            }
            catch (IOException ex)
            {
                await console.Error.WriteLineAsync($"herald publish: {ex.Message}");
                return InvalidInput;
            }
        });
        return command;
    }

    private static bool TryParse(string text, out JsonElement value, out string? error)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            value = document.RootElement.Clone();
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            value = default;
            error = ex.Message;
            return false;
        }
    }
}
