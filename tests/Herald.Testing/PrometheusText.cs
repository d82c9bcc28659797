using System.Globalization;
using System.Text;

namespace Herald.Testing;

/// <summary>
/// A strict parser of the Prometheus text exposition format (version 0.0.4), for tests that scrape <c>/metrics</c>:
/// no maintained .NET parser is packaged, so this one follows the format's rules and throws
/// <see cref="FormatException"/> naming the line on anything a Prometheus server would refuse: a bad name, label or
/// value, a <c>TYPE</c> after its samples or given twice, a sample outside its family, a series given twice, a histogram
/// whose buckets are not cumulative or lack <c>+Inf</c>, or a counter that is negative.
/// </summary>
public sealed class PrometheusText
{
    private static readonly string[] Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    private PrometheusText(IReadOnlyDictionary<string, PrometheusFamily> families) => Families = families;

    /// <summary>The families by name.</summary>
    public IReadOnlyDictionary<string, PrometheusFamily> Families { get; }

    /// <summary>The family named <paramref name="name"/>; fails the test's expectation with the names present when absent.</summary>
    public PrometheusFamily this[string name]
        => Families.TryGetValue(name, out var family) ? family : throw new KeyNotFoundException($"No metric family '{name}'; present: {string.Join(", ", Families.Keys.Order(StringComparer.Ordinal))}.");

    /// <summary>The value of the one sample named <paramref name="sampleName"/> whose labels include <paramref name="labels"/>.</summary>
    public double Value(string sampleName, params (string Name, string Value)[] labels)
    {
        var matches = Families.Values.SelectMany(f => f.Samples).Where(s => s.Name == sampleName && s.Has(labels)).ToList();
        return matches.Count == 1
            ? matches[0].Value
            : throw new KeyNotFoundException($"Expected one sample {sampleName}{{{string.Join(',', labels.Select(l => $"{l.Name}=\"{l.Value}\""))}}}, found {matches.Count}.");
    }

    /// <summary>The sum of every sample named <paramref name="sampleName"/> whose labels include <paramref name="labels"/> (0 when none).</summary>
    public double Sum(string sampleName, params (string Name, string Value)[] labels)
        => Families.Values.SelectMany(f => f.Samples).Where(s => s.Name == sampleName && s.Has(labels)).Sum(s => s.Value);

    /// <summary>Parses a whole exposition.</summary>
    /// <exception cref="FormatException">The text breaks a rule of the format; the message names the line.</exception>
    public static PrometheusText Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var families = new Dictionary<string, Builder>(StringComparer.Ordinal);
        var order = new List<string>();
        Builder? current = null;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var number = i + 1;
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] == '#')
            {
                var parts = line.Split(' ', 4);
                if (parts.Length >= 3 && parts[0] == "#" && parts[1] is "TYPE" or "HELP")
                {
                    var name = parts[2];
                    RequireMetricName(name, number);
                    var family = Family(name);
                    if (parts[1] == "TYPE")
                    {
                        var type = parts.Length == 4 ? parts[3] : throw Error(number, "TYPE without a type");
                        if (!Types.Contains(type))
                        {
                            throw Error(number, $"unknown type '{type}'");
                        }

                        if (family.Type is not null)
                        {
                            throw Error(number, $"a second TYPE for {name}");
                        }

                        if (family.Samples.Count > 0)
                        {
                            throw Error(number, $"TYPE for {name} after its samples");
                        }

                        family.Type = type;
                    }
                    else
                    {
                        if (family.Help is not null)
                        {
                            throw Error(number, $"a second HELP for {name}");
                        }

                        family.Help = Unescape(parts.Length == 4 ? parts[3] : string.Empty, help: true, number);
                    }

                    current = family;
                }

                // Any other line starting with '#' is a comment.
                continue;
            }

            var sample = ParseSample(line, number);
            var owner = current is not null && Belongs(sample.Name, current) ? current : Family(sample.Name);
            if (owner != current && owner.Samples.Count > 0)
            {
                throw Error(number, $"samples of {owner.Name} are not in one group");
            }

            if (!Belongs(sample.Name, owner))
            {
                throw Error(number, $"sample {sample.Name} does not belong to family {owner.Name} ({owner.Type})");
            }

            var series = sample.Name + "{" + string.Join(',', sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)) + "}";
            if (!owner.Series.Add(series))
            {
                throw Error(number, $"series {series} given twice");
            }

            if (owner.Type == "counter" && (sample.Value < 0 || double.IsNaN(sample.Value)))
            {
                throw Error(number, $"counter {sample.Name} is {sample.Value}");
            }

            owner.Samples.Add(sample);
            current = owner;
        }

        var result = new Dictionary<string, PrometheusFamily>(StringComparer.Ordinal);
        foreach (var name in order)
        {
            var family = families[name];
            if (family.Type == "histogram")
            {
                CheckHistogram(family);
            }

            result[name] = new PrometheusFamily(name, family.Type ?? "untyped", family.Help, family.Samples);
        }

        return new PrometheusText(result);

        Builder Family(string name)
        {
            if (!families.TryGetValue(name, out var family))
            {
                family = new Builder(name);
                families[name] = family;
                order.Add(name);
            }

            return family;
        }
    }

    private static bool Belongs(string sampleName, Builder family) => family.Type switch
    {
        "histogram" => sampleName == family.Name + "_bucket" || sampleName == family.Name + "_sum" || sampleName == family.Name + "_count",
        "summary" => sampleName == family.Name || sampleName == family.Name + "_sum" || sampleName == family.Name + "_count",
        _ => sampleName == family.Name,
    };

    private static void CheckHistogram(Builder family)
    {
        // Series of one histogram share their labels other than 'le'.
        foreach (var group in family.Samples.GroupBy(s => string.Join(',', s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value))))
        {
            var buckets = group.Where(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal)).ToList();
            if (buckets.Any(b => !b.Labels.ContainsKey("le")))
            {
                throw new FormatException($"histogram {family.Name}: a bucket without 'le'");
            }

            var bounds = buckets.Select(b => ParseValue(b.Labels["le"]) ?? throw new FormatException($"histogram {family.Name}: bad le '{b.Labels["le"]}'")).ToList();
            for (var i = 1; i < buckets.Count; i++)
            {
                if (bounds[i] <= bounds[i - 1] || buckets[i].Value < buckets[i - 1].Value)
                {
                    throw new FormatException($"histogram {family.Name}: buckets are not in increasing, cumulative order at le={buckets[i].Labels["le"]}");
                }
            }

            if (bounds.Count == 0 || !double.IsPositiveInfinity(bounds[^1]))
            {
                throw new FormatException($"histogram {family.Name}: no +Inf bucket");
            }

            var count = group.SingleOrDefault(s => s.Name == family.Name + "_count") ?? throw new FormatException($"histogram {family.Name}: no _count");
            if (count.Value != buckets[^1].Value)
            {
                throw new FormatException($"histogram {family.Name}: _count {count.Value} differs from the +Inf bucket {buckets[^1].Value}");
            }

            _ = group.SingleOrDefault(s => s.Name == family.Name + "_sum") ?? throw new FormatException($"histogram {family.Name}: no _sum");
        }
    }

    private static PrometheusSample ParseSample(string line, int number)
    {
        var i = 0;
        while (i < line.Length && IsNameChar(line[i], first: i == 0, colon: true))
        {
            i++;
        }

        var name = line[..i];
        RequireMetricName(name, number);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (true)
            {
                if (i < line.Length && line[i] == '}')
                {
                    i++;
                    break;
                }

                var start = i;
                while (i < line.Length && IsNameChar(line[i], first: i == start, colon: false))
                {
                    i++;
                }

                var label = line[start..i];
                if (label.Length == 0 || label.StartsWith("__", StringComparison.Ordinal))
                {
                    throw Error(number, $"bad label name '{label}'");
                }

                if (i + 1 >= line.Length || line[i] != '=' || line[i + 1] != '"')
                {
                    throw Error(number, $"label {label} is not followed by =\"value\"");
                }

                i += 2;
                var value = new StringBuilder();
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw Error(number, $"label {label}'s value is not closed");
                    }

                    var c = line[i++];
                    if (c == '"')
                    {
                        break;
                    }

                    if (c == '\\')
                    {
                        value.Append(i < line.Length ? line[i++] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            var other => throw Error(number, $"bad escape \\{other} in label {label}"),
                        } : throw Error(number, "a line ends in an escape"));
                    }
                    else
                    {
                        value.Append(c);
                    }
                }

                if (!labels.TryAdd(label, value.ToString()))
                {
                    throw Error(number, $"label {label} given twice");
                }

                if (i < line.Length && line[i] == ',')
                {
                    i++;
                }
                else if (i >= line.Length || line[i] != '}')
                {
                    throw Error(number, $"expected ',' or '}}' after label {label}");
                }
            }
        }

        if (i >= line.Length || line[i] != ' ')
        {
            throw Error(number, "expected a space before the value");
        }

        var fields = line[(i + 1)..].Split(' ');
        if (fields.Length is < 1 or > 2 || ParseValue(fields[0]) is not { } parsed)
        {
            throw Error(number, $"bad value '{line[(i + 1)..]}'");
        }

        long? timestamp = null;
        if (fields.Length == 2)
        {
            timestamp = long.TryParse(fields[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ts) ? ts : throw Error(number, $"bad timestamp '{fields[1]}'");
        }

        return new PrometheusSample(name, labels, parsed, timestamp);
    }

    private static double? ParseValue(string text) => text switch
    {
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ when text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] is '-' or '+' or '.') && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) => value,
        _ => null,
    };

    private static string Unescape(string text, bool help, int number)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                result.Append(text[i]);
                continue;
            }

            if (++i >= text.Length)
            {
                throw Error(number, "HELP ends in an escape");
            }

            result.Append(text[i] switch
            {
                '\\' => '\\',
                'n' => '\n',
                var other when !help && other == '"' => '"',
                var other => throw Error(number, $"bad escape \\{other} in HELP"),
            });
        }

        return result.ToString();
    }

    private static void RequireMetricName(string name, int number)
    {
        if (name.Length == 0 || !name.Select((c, i) => IsNameChar(c, i == 0, colon: true)).All(ok => ok))
        {
            throw Error(number, $"bad metric name '{name}'");
        }
    }

    private static bool IsNameChar(char c, bool first, bool colon)
        => char.IsAsciiLetter(c) || c == '_' || (colon && c == ':') || (!first && char.IsAsciiDigit(c));

    private static FormatException Error(int line, string what) => new($"Prometheus text, line {line}: {what}.");

    private sealed class Builder(string name)
    {
        public string Name { get; } = name;

        public string? Type { get; set; }

        public string? Help { get; set; }

        public List<PrometheusSample> Samples { get; } = [];

        public HashSet<string> Series { get; } = new(StringComparer.Ordinal);
    }
}
