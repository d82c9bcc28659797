using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Herald.Internal.Security;

/// <summary>
/// Checks <see cref="HeraldAuthOptions"/> at start-up: one JWT key that reads, an audience for a key set, well-formed
/// API keys, sane times, and a scheme that exists when authentication is required.
/// </summary>
internal sealed class AuthOptionsValidator(IServiceProvider services) : IValidateOptions<HeraldOptions>
{
    private const int MinSecretBytes = 32;

    public ValidateOptionsResult Validate(string? name, HeraldOptions options)
    {
        var auth = options.Auth;
        var failures = new List<string>();
        if (auth.RefreshLead <= TimeSpan.Zero)
        {
            failures.Add($"Herald:Auth:RefreshLead must be positive; it is {auth.RefreshLead}.");
        }

        var jwt = auth.Jwt;
        if (jwt.ClockSkew < TimeSpan.Zero)
        {
            failures.Add($"Herald:Auth:Jwt:ClockSkew must not be negative; it is {jwt.ClockSkew}.");
        }

        var keys = new[] { jwt.Secret, jwt.SecretFile, jwt.PublicKeyFile, jwt.JwksFile }.Count(k => !string.IsNullOrEmpty(k));
        if (keys > 1)
        {
            failures.Add("Herald:Auth:Jwt takes one key: set only one of Secret, SecretFile, PublicKeyFile and JwksFile.");
        }
        else if (keys == 1)
        {
            CheckKey(jwt, failures);
        }

        if (!string.IsNullOrEmpty(jwt.JwksFile) && string.IsNullOrEmpty(jwt.Audience))
        {
            // A key set is an identity provider's, which signs tokens for every application it serves.
            failures.Add("Herald:Auth:Jwt:Audience must be set with Herald:Auth:Jwt:JwksFile, or tokens the provider issues for other applications would be accepted.");
        }

        if (auth.Required && !SchemeExists(auth.Scheme))
        {
            failures.Add(auth.Scheme is null
                ? "Herald:Auth:Required is on but nothing can authenticate: configure Herald:Auth:Jwt or Herald:Auth:ApiKeys (docs/security.md), or name the app's own scheme in Herald:Auth:Scheme."
                : $"Herald:Auth:Scheme '{auth.Scheme}' is not a registered authentication scheme.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < auth.ApiKeys.Count; i++)
        {
            var key = auth.ApiKeys[i];
            if (string.IsNullOrWhiteSpace(key.Name) || !names.Add(key.Name))
            {
                failures.Add($"Herald:Auth:ApiKeys:{i}:Name must be set and unique; it is '{key.Name}'.");
            }

            if (!ApiKeys.TryParseHash(key.Hash, out _))
            {
                failures.Add($"Herald:Auth:ApiKeys:{i}:Hash must be the key's SHA-256 as 64 hexadecimal digits (herald key create prints it); the key itself is never configured.");
            }

            foreach (var pattern in key.Subscribe.Concat(key.Publish))
            {
                if (!TopicFilter.TryParse(pattern, out _, out var error))
                {
                    failures.Add($"Herald:Auth:ApiKeys:{i} has an invalid topic pattern: {error}");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private bool SchemeExists(string? scheme)
    {
        var schemes = services.GetService<IAuthenticationSchemeProvider>();
        if (schemes is null)
        {
            return false;
        }

        // The provider's lookups complete at once: they read its options.
        var found = scheme is null ? schemes.GetDefaultAuthenticateSchemeAsync() : schemes.GetSchemeAsync(scheme);
        return found.GetAwaiter().GetResult() is not null;
    }

    private static void CheckKey(HeraldJwtOptions jwt, List<string> failures)
    {
        try
        {
            if (JwtBearerSetup.SecretBytes(jwt) is { } secret)
            {
                if (secret.Length < MinSecretBytes)
                {
                    failures.Add($"Herald:Auth:Jwt:{(string.IsNullOrEmpty(jwt.Secret) ? "SecretFile" : "Secret")} must hold at least {MinSecretBytes} bytes (HS256 needs 256 bits); it holds {secret.Length}.");
                }

                return;
            }

            if (JwtBearerSetup.Keys(jwt).Count == 0)
            {
                failures.Add($"Herald:Auth:Jwt:JwksFile '{jwt.JwksFile}' holds no signing key.");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException or FormatException or System.Text.Json.JsonException)
        {
            var setting = !string.IsNullOrEmpty(jwt.SecretFile) ? "SecretFile" : !string.IsNullOrEmpty(jwt.PublicKeyFile) ? "PublicKeyFile" : "JwksFile";
            failures.Add($"Herald:Auth:Jwt:{setting} cannot be read as a key: {ex.Message}");
        }
    }
}
