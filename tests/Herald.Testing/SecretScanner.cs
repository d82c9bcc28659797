using System.Buffers;
using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Xunit;

namespace Herald.Testing;

/// <summary>
/// Finds secrets in log lines: every secret a test registered (JWT secrets, API keys, certificate and controller
/// passwords, resume tokens; process-wide, so a server started anywhere in the test run is checked against all of
/// them), and whatever has the shape of one: a JWT, a Herald API key, a <c>Bearer</c> credential, or a value of
/// <c>access_token=</c>, <c>resume=</c>, <c>password=</c> or <c>secret=</c> that is not <c>***</c>. Every in-process test
/// server's logs (<see cref="LoopbackApp"/>) and every child server's output pass through it.
/// </summary>
public static partial class SecretScanner
{
    /// <summary>Shorter registered values are ignored: they would match ordinary words.</summary>
    public const int MinimumLength = 8;

    private static readonly ConcurrentDictionary<string, bool> Registered = new(StringComparer.Ordinal);

    /// <summary>Adds secrets every log line is checked for, for the rest of the test run.</summary>
    public static void Register(params string?[] secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        foreach (var secret in secrets)
        {
            if (secret is { Length: >= MinimumLength })
            {
                Registered.TryAdd(secret, true);
            }
        }
    }

    /// <summary>What in <paramref name="lines"/> is a secret: one finding per line and kind, naming both.</summary>
    public static IReadOnlyList<string> Find(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        // Thousands of resume tokens register in a run: one multi-string search per line, not one per secret.
        var secrets = SearchValues.Create(Registered.Keys.ToArray(), StringComparison.Ordinal);
        var findings = new List<string>();
        foreach (var line in lines)
        {
            if (line.AsSpan().IndexOfAny(secrets) is >= 0 and var at)
            {
                findings.Add($"a registered secret ({line.Substring(at, 4)}...): {line}");
            }

            foreach (var (name, pattern) in Shapes)
            {
                if (pattern.Match(line) is { Success: true } match)
                {
                    findings.Add($"{name} ({match.Value[..Math.Min(12, match.Value.Length)]}...): {line}");
                }
            }
        }

        return findings;
    }

    /// <summary>Fails when <paramref name="lines"/> hold a secret, naming <paramref name="source"/> and every finding.</summary>
    public static void AssertNone(IEnumerable<string> lines, string source)
    {
        var findings = Find(lines);
        if (findings.Count > 0)
        {
            Assert.Fail($"{source} hold secrets:\n{string.Join('\n', findings.Take(20))}");
        }
    }

    private static readonly (string Name, Regex Pattern)[] Shapes =
    [
        ("a JWT", Jwt()),
        ("an API key", ApiKey()),
        ("a Bearer credential", Bearer()),
        ("a secret query parameter", QueryParameter()),
        ("a password or secret setting", Setting()),
    ];

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*", RegexOptions.CultureInvariant)]
    private static partial Regex Jwt();

    [GeneratedRegex(@"\bhk_[A-Za-z0-9_-]{20,}", RegexOptions.CultureInvariant)]
    private static partial Regex ApiKey();

    [GeneratedRegex(@"\bBearer\s+(?!\*\*\*)[A-Za-z0-9._~+/=-]{8,}", RegexOptions.CultureInvariant)]
    private static partial Regex Bearer();

    [GeneratedRegex(@"(?:^|[?&;\s])(?:access_token|resume)=(?!\*\*\*)[^&\s""',;]+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex QueryParameter();

    [GeneratedRegex(@"(?:password|secret)[""']?\s*[=:]\s*[""']?(?!\*\*\*)[^\s""',;&]{4,}", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Setting();
}
