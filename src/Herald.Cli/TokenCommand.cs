using System.CommandLine;
using System.Globalization;

namespace Herald.Cli;

/// <summary>
/// <c>herald token</c>: signs a test token with the key the server is configured with (appsettings.json in the current
/// directory, <c>HERALD__</c> environment variables and <c>--Herald:Auth:Jwt:...</c> settings, as <c>herald serve</c> reads them).
/// </summary>
internal static class TokenCommand
{
    public static Command Create(CliConsole console)
    {
        var subject = new Option<string>("--sub") { Description = "The subject: the user the token is for.", Required = true };
        var subscribe = new Option<string[]>("--subscribe") { Description = "A topic pattern it may subscribe to (repeat for more)." };
        var publish = new Option<string[]>("--publish") { Description = "A topic pattern it may publish to (repeat for more)." };
        var messages = new Option<bool>("--messages") { Description = "It may send direct messages." };
        var admin = new Option<bool>("--admin") { Description = "It administers the hub." };
        var ttl = new Option<string>("--ttl") { Description = "How long it is valid: 90s, 30m, 1h, 7d or hh:mm:ss (default 1h).", DefaultValueFactory = _ => "1h" };
        var privateKey = new Option<FileInfo?>("--private-key-file") { Description = "Sign with this PEM private key (RS256/ES256) instead of the configured HS256 secret." };
        var command = new Command("token", "Sign a token with the configured key (Herald:Auth:Jwt) and print it. For tests and trying things out; production tokens come from your identity provider.")
        {
            subject, subscribe, publish, messages, admin, ttl, privateKey,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!TryParseDuration(parseResult.GetValue(ttl)!, out var lifetime))
            {
                await console.Error.WriteLineAsync($"herald token: --ttl must be a positive duration such as 90s, 30m, 1h or 7d, not '{parseResult.GetValue(ttl)}'.");
                return HeraldCommandLine.UsageError;
            }

            var configuration = new ConfigurationBuilder()
                .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
                .AddEnvironmentVariables()
                .AddCommandLine([.. parseResult.UnmatchedTokens])
                .Build();
            var auth = new HeraldAuthOptions();
            configuration.GetSection("Herald:Auth").Bind(auth);

            Microsoft.IdentityModel.Tokens.SigningCredentials credentials;
            if (parseResult.GetValue(privateKey) is { } file)
            {
                credentials = HeraldTokens.FromPrivateKeyPem(await File.ReadAllTextAsync(file.FullName, cancellationToken));
            }
            else if (auth.Jwt.Secret is { Length: > 0 } secret)
            {
                credentials = HeraldTokens.FromSecret(secret);
            }
            else if (auth.Jwt.SecretFile is { Length: > 0 } secretFile)
            {
                credentials = HeraldTokens.FromSecret((await File.ReadAllTextAsync(secretFile, cancellationToken)).TrimEnd());
            }
            else
            {
                await console.Error.WriteLineAsync("herald token: no signing key: configure Herald:Auth:Jwt:Secret or SecretFile (as for herald serve), or pass --private-key-file.");
                return HeraldCommandLine.UsageError;
            }

            var token = HeraldTokens.Create(
                new HeraldTokenRequest
                {
                    Subject = parseResult.GetValue(subject)!,
                    Subscribe = parseResult.GetValue(subscribe) ?? [],
                    Publish = parseResult.GetValue(publish) ?? [],
                    Messages = parseResult.GetValue(messages),
                    Admin = parseResult.GetValue(admin),
                    Lifetime = lifetime,
                    Issuer = auth.Jwt.Issuer,
                    Audience = auth.Jwt.Audience,
                },
                credentials);
            await console.Out.WriteLineAsync(token);
            return 0;
        });
        return command;
    }

    /// <summary>Reads 90s, 30m, 1h, 7d or a TimeSpan such as 01:30:00.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (text.Length >= 2 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            duration = char.ToLowerInvariant(text[^1]) switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => default,
            };
            return duration > TimeSpan.Zero;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero;
    }
}
