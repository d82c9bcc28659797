using System.CommandLine;
using System.Globalization;
using Herald.Client;

namespace Herald.Cli;

/// <summary><c>herald tail</c>: prints live events until Ctrl-C, reconnecting and resuming on its own.</summary>
internal static class TailCommand
{
    public static Command Create(CliConsole console)
    {
        var server = ServerOption.Create();
        var topics = new Option<string>("--topics") { Description = "Topic patterns separated by ',' (+ one level, # the rest; default #).", DefaultValueFactory = _ => "#" };
        var since = new Option<long?>("--since") { Description = "Print stored events after this id first, then live ones." };
        var json = new Option<bool>("--json") { Description = "Print each event as one JSON object per line, exactly as received." };
        var maxReconnects = new Option<int?>("--max-reconnects") { Description = "Give up and exit 1 after this many failed reconnect attempts in a row (default: never give up)." };
        var command = new Command("tail", "Print events as they happen until Ctrl-C; reconnects and resumes without gaps.")
        {
            server, topics, since, json, maxReconnects,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (parseResult.GetValue(maxReconnects) is < 0)
            {
                await console.Error.WriteLineAsync("herald tail: --max-reconnects must be 0 or more.");
                return PublishCommand.InvalidInput;
            }

            var options = new HeraldClientOptions
            {
                ServerUri = parseResult.GetValue(server)!,
                Since = parseResult.GetValue(since),
                MaxReconnectAttempts = parseResult.GetValue(maxReconnects),
            };
            options.Topics.Clear();
            foreach (var topic in parseResult.GetValue(topics)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                options.Topics.Add(topic);
            }

            HeraldClient client;
            try
            {
                client = new HeraldClient(options);
            }
            catch (ArgumentException ex)
            {
                await console.Error.WriteLineAsync($"herald tail: {ex.Message}");
                return PublishCommand.InvalidInput;
            }

            await using (client)
            {
                var asJson = parseResult.GetValue(json);
                client.StateChanged += (_, state) =>
                {
                    if (state == HeraldConnectionState.Reconnecting)
                    {
                        console.Error.WriteLine($"herald tail: not connected ({client.LastError?.Message}); retrying");
                    }
                };
                client.ResumeIncomplete += (_, e) => console.Error.WriteLine($"herald tail: events after #{e.Since} were dropped by the server's retention; some are missing");
                using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var running = client.RunAsync(cancellationToken);
                var printing = PrintAsync(client, console, asJson, stopReading.Token);
                if (await Task.WhenAny(running, printing) == running)
                {
                    // The client gave up (or was taken over): print what arrived, then say why.
                    await stopReading.CancelAsync();
                }

                await printing;
                foreach (var e in client.Drain())
                {
                    await console.Out.WriteLineAsync(asJson ? e.Json : Format(e));
                }

                // The loop ends normally on Ctrl-C, a give-up or a take-over; CloseReason says which.
                await running;
                if (!cancellationToken.IsCancellationRequested)
                {
                    await console.Error.WriteLineAsync($"herald tail: {client.CloseReason}; last error: {client.LastError?.Message ?? "none"}");
                    return 1;
                }

                return 0;
            }
        });
        return command;
    }

    private static async Task PrintAsync(HeraldClient client, CliConsole console, bool asJson, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var e in client.ReadEventsAsync(cancellationToken))
            {
                await console.Out.WriteLineAsync(asJson ? e.Json : Format(e));
                await console.Out.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C, or the client stopped.
        }
    }

    /// <summary><c>#42 2026-01-25T03:54:30.123Z cameras/front motion {"x":1}</c>.</summary>
    public static string Format(ClientEvent e)
        => string.Create(CultureInfo.InvariantCulture, $"#{e.Id} {e.Time.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} {e.Topic} {e.Type} {e.Data.GetRawText()}");
}
