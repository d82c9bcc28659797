namespace Herald.Benchmarks;

/// <summary><c>--name value</c> and <c>--flag</c> command-line arguments.</summary>
public sealed class ArgMap
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public static ArgMap Parse(IReadOnlyList<string> args)
    {
        var map = new ArgMap();
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            }
            var name = args[i][2..];
            var hasValue = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            map._values[name] = hasValue ? args[++i] : "true";
        }
        return map;
    }

    public string Get(string name, string fallback)
    {
        return _values.TryGetValue(name, out var value) ? value : fallback;
    }

    public string? GetOrNull(string name)
    {
        return _values.GetValueOrDefault(name);
    }

    public bool Has(string name)
    {
        return _values.ContainsKey(name);
    }

    public int GetInt(string name, int fallback)
    {
        return _values.TryGetValue(name, out var value) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }

    public double GetDouble(string name, double fallback)
    {
        return _values.TryGetValue(name, out var value) ? double.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }
}
