using Microsoft.Extensions.Options;

namespace Herald.Prometheus;

/// <summary>Checks <see cref="HeraldMetricsOptions"/> at start-up, naming the key and what it allows.</summary>
public sealed class HeraldMetricsOptionsValidator : IValidateOptions<HeraldMetricsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, HeraldMetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = options.Path;
        if (string.IsNullOrEmpty(path) || path[0] != '/' || path.Length < 2 || path.Any(c => char.IsWhiteSpace(c) || c is '?' or '#'))
        {
            return ValidateOptionsResult.Fail($"Herald:Metrics:Path must be a path such as {HeraldMetricsOptions.DefaultPath}: starting with '/', without spaces, '?' or '#'; it is '{path}'.");
        }

        if (path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase) || path.StartsWith("/ws/", StringComparison.OrdinalIgnoreCase))
        {
            return ValidateOptionsResult.Fail($"Herald:Metrics:Path must not be under /api/ or /ws/, which Herald's own endpoints use; it is '{path}'.");
        }

        return ValidateOptionsResult.Success;
    }
}
