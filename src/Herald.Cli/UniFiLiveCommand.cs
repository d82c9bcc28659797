using System.CommandLine;
using System.Text.Json;
using Herald.Client;
using Herald.Server.UniFi;
using Herald.UniFi;

namespace Herald.Cli;

/// <summary>
/// <c>herald unifi --controller URL ...</c>: follows one controller and publishes its WiFi events to a
/// Herald server. Events wait in a bounded buffer (oldest dropped first) while the server is away, so
/// reading the controller never stalls.
/// </summary>
internal static class UniFiLiveCommand
{
    /// <summary>The environment variable read for the password when no password file is given.</summary>
    public const string PasswordVariable = "HERALD_UNIFI_PASSWORD";

    public static void AddTo(Command unifi, CliConsole console)
    {
        var server = ServerOption.Create();
        var controller = new Option<string?>("--controller") { Description = "The controller, such as https://192.168.1.1 (UniFi OS) or https://unifi.lan:8443 (classic)." };
        var site = new Option<string>("--site") { Description = "The site's short name.", DefaultValueFactory = _ => "default" };
        var username = new Option<string?>("--username") { Description = "The controller account (a read-only local account is enough)." };
        var passwordFile = new Option<string?>("--password-file") { Description = $"A file whose first line is the password; otherwise ${PasswordVariable} is read." };
        var insecure = new Option<bool>("--insecure") { Description = "Accept any TLS certificate (self-signed lab controllers)." };
        var pin = new Option<string?>("--certificate-sha256") { Description = "Accept only the certificate with this SHA-256 thumbprint (hex)." };
        foreach (var option in new Option[] { server, controller, site, username, passwordFile, insecure, pin })
        {
            unifi.Options.Add(option);
        }

        unifi.SetAction(async (parseResult, cancellationToken) =>
        {
            UniFiControllerOptions options;
            try
            {
                options = new UniFiControllerOptions
                {
                    Controller = Uri.TryCreate(parseResult.GetValue(controller), UriKind.Absolute, out var address)
                        ? address
                        : throw new InvalidOperationException("--controller is required: an absolute address such as https://192.168.1.1."),
                    Site = parseResult.GetValue(site)!,
                    Username = parseResult.GetValue(username) ?? throw new InvalidOperationException("--username is required."),
                    Password = UniFiSourceSettings.ReadPassword(parseResult.GetValue(passwordFile), Environment.GetEnvironmentVariable(PasswordVariable)),
                    AcceptAnyCertificate = parseResult.GetValue(insecure),
                    PinnedCertificateSha256 = parseResult.GetValue(pin),
                };
                options.Validate();
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
            {
                await console.Error.WriteLineAsync($"herald unifi: {ex.Message}");
                return PublishCommand.InvalidInput;
            }

            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
            await using var client = new HeraldClient(new HeraldClientOptions { ServerUri = parseResult.GetValue(server)! });
            await using var source = new UniFiSource(options, loggers.CreateLogger<UniFiSource>());
            var buffer = new BoundedBuffer<UniFiEvent>();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var publishing = PublishAsync(buffer, client, UniFiTopics.ForSite(options.Site), console, stop.Token);
            try
            {
                await source.RunAsync(
                    (events, _) =>
                    {
                        foreach (var e in events)
                        {
                            buffer.Add(e);
                        }

                        return ValueTask.CompletedTask;
                    },
                    cancellationToken);
                return 0;
            }
            catch (UniFiLoginException ex)
            {
                await console.Error.WriteLineAsync($"herald unifi: {ex.Message}");
                return 1;
            }
            finally
            {
                await stop.CancelAsync();
                await publishing;
            }
        });
    }

    private static async Task PublishAsync(BoundedBuffer<UniFiEvent> buffer, HeraldClient client, string topic, CliConsole console, CancellationToken cancellationToken)
    {
        var backOff = new ReconnectPolicy();
        try
        {
            while (await buffer.WaitToReadAsync(cancellationToken))
            {
                var batch = buffer.Drain().Select(e => new OutgoingEvent(topic, e.Type, JsonDocument.Parse(e.ToHeraldPayload()).RootElement.Clone(), "unifi")).ToList();
                while (true)
                {
                    try
                    {
                        await client.PublishAsync(batch, cancellationToken);
                        backOff.Reset();
                        break;
                    }
                    catch (Exception ex) when (ex is HeraldClientException or HttpRequestException)
                    {
                        // Herald is away: keep this batch, let new events queue (oldest dropped), try again.
                        await console.Error.WriteLineAsync($"herald unifi: publishing failed ({ex.Message}); retrying");
                        await Task.Delay(backOff.NextDelay(), cancellationToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
