using System.CommandLine;
using System.Globalization;
using Herald.UniFi;

namespace Herald.Cli;

/// <summary><c>herald unifi</c>: UniFi controller sources; <c>replay</c> prints what a capture holds.</summary>
internal static class UniFiCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("unifi", "Follow a UniFi Network controller and publish its WiFi client events to Herald (topic unifi/{site}/wifi).");
        UniFiLiveCommand.AddTo(command, console);
        command.Subcommands.Add(CreateReplay(console));
        return command;
    }

    private static Command CreateReplay(CliConsole console)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A capture: one JSON frame per line, as the controller sent them." };
        var logEntries = new Option<bool>("--log-entries") { Description = "Print log entries instead of normalized events." };
        var site = new Option<string>("--site") { Description = "The site name for events that carry none.", DefaultValueFactory = _ => "default" };
        var since = new Option<DateTimeOffset?>("--since")
        {
            Description = "With --log-entries: keep entries from this time on, less 5 minutes of clock-skew tolerance (ISO-8601).",
        };
        var command = new Command("replay", "Print the normalized events (or log entries) of a captured frame file, one JSON per line.")
        {
            file, logEntries, site, since,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(file)!;
            if (!path.Exists)
            {
                await console.Error.WriteLineAsync($"herald unifi replay: {path.FullName} does not exist");
                return PublishCommand.InvalidInput;
            }

            var statistics = new UniFiParserStatistics();
            var parser = new UniFiFrameParser(new UniFiParserOptions { Site = parseResult.GetValue(site)! }, statistics);
            using var reader = path.OpenText();
            var events = new List<UniFiEvent>();
            await foreach (var e in UniFiReplay.ReadEventsAsync(reader, parser, cancellationToken))
            {
                if (parseResult.GetValue(logEntries))
                {
                    events.Add(e);
                }
                else
                {
                    await console.Out.WriteLineAsync(UniFiJson.ToJsonLine(e));
                }
            }

            foreach (var entry in UniFiLogConverter.Collect(events, parseResult.GetValue(since)))
            {
                await console.Out.WriteLineAsync(UniFiJson.ToJsonLine(entry));
            }

            await console.Error.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"herald unifi replay: {statistics.Frames} frames, {statistics.Events} WiFi events, {statistics.InvalidFrames} invalid, {statistics.OversizedFrames} oversized, {statistics.UnknownMessageTypes.Values.Sum()} of other message types skipped"));
            return 0;
        });
        return command;
    }
}
