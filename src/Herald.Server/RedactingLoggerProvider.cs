using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Herald.Server;

/// <summary>
/// Passes log lines to another provider with secrets in query strings (<c>resume=</c>, <c>access_token=</c>) replaced by
/// <c>***</c>, in the message and in the structured fields alike: ASP.NET Core's request lines carry the whole URL, and a
/// WebSocket that resumes a session sends its token there.
/// </summary>
internal sealed partial class RedactingLoggerProvider(ILoggerProvider inner) : ILoggerProvider, ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => (inner as ISupportExternalScope)?.SetScopeProvider(scopeProvider);

    public void Dispose() => inner.Dispose();

    /// <summary>Whether <paramref name="text"/> holds a secret query parameter.</summary>
    public static bool HasSecret(string text)
        => text.Contains("resume=", StringComparison.OrdinalIgnoreCase) || text.Contains("access_token=", StringComparison.OrdinalIgnoreCase);

    /// <summary><paramref name="text"/> with the values of secret query parameters replaced by <c>***</c>.</summary>
    public static string Redact(string text) => SecretParameter().Replace(text, "$1***");

    [GeneratedRegex(@"((?:^|[?&;\s])(?:resume|access_token)=)[^&\s""',;]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretParameter();

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
            => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            if (state is IReadOnlyList<KeyValuePair<string, object?>> fields && fields.Any(f => f.Value is string s && HasSecret(s) || f.Value is not (null or ValueType or string) && HasSecret(f.Value.ToString() ?? string.Empty)))
            {
                var message = Redact(formatter(state, exception));
                var redacted = new RedactedState(message, [.. fields.Select(f => f.Value is null or ValueType ? f : new KeyValuePair<string, object?>(f.Key, Redact(f.Value.ToString() ?? string.Empty)))]);
                inner.Log(logLevel, eventId, redacted, exception, static (s, _) => s.Message);
                return;
            }

            if (state is not IReadOnlyList<KeyValuePair<string, object?>> && state?.ToString() is { } text && HasSecret(text))
            {
                inner.Log(logLevel, eventId, Redact(text), exception, static (s, _) => s);
                return;
            }

            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }

    private sealed class RedactedState(string message, KeyValuePair<string, object?>[] fields) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message { get; } = message;

        public int Count => fields.Length;

        public KeyValuePair<string, object?> this[int index] => fields[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)fields).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => fields.GetEnumerator();

        public override string ToString() => Message;
    }
}
