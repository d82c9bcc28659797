using System.Collections;
using System.Reflection;
using Herald.JetStream;
using Herald.Prometheus;
using Herald.Server.UniFi;
using Herald.Sqlite;
using Microsoft.Extensions.Configuration;

namespace Herald.Server;

/// <summary>
/// Every setting under <c>Herald</c>, derived from the options classes bound to each section, so a new option is known
/// as soon as it exists. A new section (such as <c>Herald:Nats</c> or <c>Herald:Auth</c>) is one line in
/// <see cref="Sections"/>. <see cref="FindUnknown"/> names every key in the configuration that matches none, with the
/// nearest known one.
/// </summary>
internal static class SettingsSchema
{
    /// <summary>A configuration section and the options type bound to it; <c>*</c> stands for an array index.</summary>
    public static readonly (string Path, Type Options)[] Sections =
    [
        (HeraldOptions.SectionName, typeof(HeraldOptions)),
        (HeraldOptions.SectionName, typeof(HeraldServerOptions)),
        ("Herald:Sqlite", typeof(SqliteStoreOptions)),
        (JetStreamOptions.SectionName, typeof(JetStreamOptions)),
        (HeraldMetricsOptions.SectionName, typeof(HeraldMetricsOptions)),
        ("Herald:UniFi:Sources:*", typeof(UniFiSourceSettings)),
    ];

    /// <summary>Every known key, such as <c>Herald:HeartbeatInterval</c>, <c>Herald:AllowedOrigins:*</c>.</summary>
    public static IReadOnlyList<string> Keys { get; } = [.. Sections.SelectMany(s => KeysOf(s.Path, s.Options)).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)];

    /// <summary>One message per key under <c>Herald</c> that no option binds: "unknown setting X; did you mean Y?".</summary>
    public static IReadOnlyList<string> FindUnknown(IConfiguration configuration)
    {
        var errors = new List<string>();
        foreach (var (key, value) in configuration.GetSection(HeraldOptions.SectionName).AsEnumerable())
        {
            if (value is null || IsKnown(key))
            {
                continue;
            }

            errors.Add($"unknown setting {key}; did you mean {Nearest(key)}?");
        }

        return errors;
    }

    private static bool IsKnown(string key)
    {
        var segments = key.Split(':');
        return Keys.Any(known => Matches(known.Split(':'), segments));
    }

    private static bool Matches(string[] pattern, string[] segments)
        => pattern.Length == segments.Length && pattern.Zip(segments).All(p => p.First == "*" ? p.Second.All(char.IsAsciiDigit) && p.Second.Length > 0 : string.Equals(p.First, p.Second, StringComparison.OrdinalIgnoreCase));

    /// <summary>The known key closest to <paramref name="key"/>, with its array indices filled in from it.</summary>
    private static string Nearest(string key)
    {
        var segments = key.Split(':');
        var indices = new Queue<string>(segments.Where(s => s.Length > 0 && s.All(char.IsAsciiDigit)));
        var normalized = string.Join(':', segments.Select(s => s.Length > 0 && s.All(char.IsAsciiDigit) ? "*" : s));
        var best = Keys.MinBy(known => Distance(normalized.ToUpperInvariant(), known.ToUpperInvariant()))!;
        return string.Join(':', best.Split(':').Select(s => s == "*" ? (indices.TryDequeue(out var index) ? index : "0") : s));
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static IEnumerable<string> KeysOf(string prefix, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetMethod is null || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var key = prefix + ":" + property.Name;
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsLeaf(propertyType))
            {
                if (property.SetMethod?.IsPublic == true)
                {
                    yield return key;
                }
            }
            else if (ElementType(propertyType) is { } element)
            {
                if (IsLeaf(element))
                {
                    yield return key + ":*";
                }
                else
                {
                    foreach (var nested in KeysOf(key + ":*", element))
                    {
                        yield return nested;
                    }
                }
            }
            else if (propertyType.IsClass)
            {
                foreach (var nested in KeysOf(key, propertyType))
                {
                    yield return nested;
                }
            }
        }
    }

    private static bool IsLeaf(Type type)
        => type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Uri) || type == typeof(Guid);

    private static Type? ElementType(Type type)
        => type.IsArray ? type.GetElementType()
            : type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) && type != typeof(string) ? type.GetGenericArguments()[0]
            : null;
}
