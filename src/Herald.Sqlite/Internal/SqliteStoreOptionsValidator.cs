using Microsoft.Extensions.Options;

namespace Herald.Sqlite.Internal;

/// <summary>Checks <see cref="SqliteStoreOptions"/>; used both by the options pipeline and by the stores' constructors.</summary>
internal sealed class SqliteStoreOptionsValidator : IValidateOptions<SqliteStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteStoreOptions options)
    {
        var errors = GetErrors(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem.</summary>
    public static void ThrowIfInvalid(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = GetErrors(options);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(SqliteStoreOptions), errors);
        }
    }

    public static List<string> GetErrors(SqliteStoreOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            errors.Add("Herald:Sqlite:Path (SqliteStoreOptions.Path) must name the database file (for example data/herald.db).");
        }

        if (!Enum.IsDefined(options.Synchronous))
        {
            errors.Add($"Herald:Sqlite:Synchronous (SqliteStoreOptions.Synchronous) is {options.Synchronous}; use Off, Normal, Full or Extra.");
        }

        if (options.MaxEvents is <= 0)
        {
            errors.Add($"Herald:Sqlite:MaxEvents (SqliteStoreOptions.MaxEvents) is {options.MaxEvents}; it must be at least 1, or unset for no count limit.");
        }

        if (options.MaxAge is { } maxAge && maxAge <= TimeSpan.Zero)
        {
            errors.Add($"Herald:Sqlite:MaxAge (SqliteStoreOptions.MaxAge) is {maxAge}; it must be positive, or unset for no age limit.");
        }

        if (options.RetentionInterval <= TimeSpan.Zero)
        {
            errors.Add($"Herald:Sqlite:RetentionInterval (SqliteStoreOptions.RetentionInterval) is {options.RetentionInterval}; it must be positive.");
        }

        if (options.BusyTimeout <= TimeSpan.Zero)
        {
            errors.Add($"Herald:Sqlite:BusyTimeout (SqliteStoreOptions.BusyTimeout) is {options.BusyTimeout}; it must be positive.");
        }

        return errors;
    }
}
