using Microsoft.Extensions.Logging;

namespace Herald.Testing;

/// <summary>
/// Keeps every line an in-process test server logs, for <see cref="SecretScanner"/>. <see cref="LoopbackApp"/> adds one to
/// each app it starts, with its own levels under <c>Logging:HeraldLogScan</c> (<see cref="Settings"/>): Herald's lines at
/// every level and ASP.NET Core's authentication lines, whatever the test's console shows.
/// </summary>
[ProviderAlias(Alias)]
public sealed class LogScanProvider : ILoggerProvider, ISupportExternalScope
{
    /// <summary>The name its levels are configured under: <c>Logging:HeraldLogScan:LogLevel</c>.</summary>
    public const string Alias = "HeraldLogScan";

    private readonly CapturingLoggerProvider _lines = new();

    /// <summary>
    /// The levels it logs at: Information by default, every level for Herald's connections, endpoints and sources and for
    /// ASP.NET Core's authentication, and
    /// Warning for the rest of ASP.NET Core as in production (its request lines carry URLs, whose secrets the server's
    /// own redaction, which this provider sits outside of, removes).
    /// </summary>
    public static readonly string[] Settings =
    [
        $"--Logging:{Alias}:LogLevel:Default=Information",
        $"--Logging:{Alias}:LogLevel:Herald=Trace",

        // Its one line below Information is per event fanned out (id, topic, count): costly in a test suite, never a secret.
        $"--Logging:{Alias}:LogLevel:Herald.Hub=Information",
        $"--Logging:{Alias}:LogLevel:Microsoft.AspNetCore=Warning",
        $"--Logging:{Alias}:LogLevel:Microsoft.AspNetCore.Authentication=Trace",
    ];

    /// <summary>Every line logged so far.</summary>
    public IEnumerable<string> Lines => _lines.Lines;

    public ILogger CreateLogger(string categoryName) => _lines.CreateLogger(categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _lines.SetScopeProvider(scopeProvider);

    public void Dispose()
    {
        // The lines outlive the app's logger factory: they are scanned after it stopped.
    }
}
