using Microsoft.Extensions.Options;

namespace Herald.JetStream.Internal;

/// <summary>Checks <see cref="JetStreamOptions"/>; used by the options pipeline and by <see cref="JetStreamConnection"/>.</summary>
internal sealed class JetStreamOptionsValidator : IValidateOptions<JetStreamOptions>
{
    public ValidateOptionsResult Validate(string? name, JetStreamOptions options)
    {
        var errors = GetErrors(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static void ThrowIfInvalid(JetStreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = GetErrors(options);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(JetStreamOptions), errors);
        }
    }

    public static List<string> GetErrors(JetStreamOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Url))
        {
            errors.Add("Herald:Nats:Url must name at least one NATS server (nats://host:4222, several separated by commas).");
        }
        else
        {
            foreach (var url in options.Url.Split(','))
            {
                if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("nats" or "tls" or "ws" or "wss"))
                {
                    errors.Add($"Herald:Nats:Url has '{JetStreamConnection.Redacted(url)}'; each server is a nats://, tls://, ws:// or wss:// URL.");
                }
            }
        }

        if (!IsToken(options.SubjectPrefix))
        {
            errors.Add($"Herald:Nats:SubjectPrefix is '{options.SubjectPrefix}'; use letters, digits, '-' and '_' only.");
        }

        foreach (var (key, stream) in new[] { ("EventsStream", options.EventsStream), ("SessionsStream", options.SessionsStream) })
        {
            if (!IsToken(stream))
            {
                errors.Add($"Herald:Nats:{key} is '{stream}'; a stream name has letters, digits, '-' and '_' only.");
            }
        }

        if (string.Equals(options.EventsStream, options.SessionsStream, StringComparison.Ordinal))
        {
            errors.Add("Herald:Nats:EventsStream and Herald:Nats:SessionsStream must differ.");
        }

        if (options.Replicas is < 1 or > 5)
        {
            errors.Add($"Herald:Nats:Replicas is {options.Replicas}; use 1 to 5 (3 for a three-server cluster).");
        }

        if (!Enum.IsDefined(options.Storage))
        {
            errors.Add($"Herald:Nats:Storage is {options.Storage}; use File or Memory.");
        }

        if (options.MaxEvents is <= 0)
        {
            errors.Add($"Herald:Nats:MaxEvents is {options.MaxEvents}; it must be at least 1, or unset for no count limit.");
        }

        if (options.MaxAge is { } maxAge && maxAge <= TimeSpan.Zero)
        {
            errors.Add($"Herald:Nats:MaxAge is {maxAge}; it must be positive, or unset for no age limit.");
        }

        if (options.MaxBytes is <= 0)
        {
            errors.Add($"Herald:Nats:MaxBytes is {options.MaxBytes}; it must be at least 1, or unset for no size limit.");
        }

        if (options.DuplicateWindow < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Herald:Nats:DuplicateWindow is {options.DuplicateWindow}; it must be at least 1 second.");
        }

        if (options.PublishTimeout <= TimeSpan.Zero)
        {
            errors.Add($"Herald:Nats:PublishTimeout is {options.PublishTimeout}; it must be positive.");
        }

        if (options.ConnectTimeout <= TimeSpan.Zero)
        {
            errors.Add($"Herald:Nats:ConnectTimeout is {options.ConnectTimeout}; it must be positive.");
        }

        if (options.CacheEvents < 0)
        {
            errors.Add($"Herald:Nats:CacheEvents is {options.CacheEvents}; it must be 0 (no cache) or more.");
        }

        if (options.CacheBytes < 1024 * 1024)
        {
            errors.Add($"Herald:Nats:CacheBytes is {options.CacheBytes}; it must be at least 1048576 (1 MiB).");
        }

        if (string.IsNullOrEmpty(options.TlsCertFile) != string.IsNullOrEmpty(options.TlsKeyFile))
        {
            errors.Add("Herald:Nats:TlsCertFile and Herald:Nats:TlsKeyFile go together: set both or neither.");
        }

        if (!string.IsNullOrEmpty(options.Password) && string.IsNullOrEmpty(options.User))
        {
            errors.Add("Herald:Nats:Password needs Herald:Nats:User.");
        }

        return errors;
    }

    private static bool IsToken(string? value)
        => !string.IsNullOrEmpty(value) && value.Length <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
