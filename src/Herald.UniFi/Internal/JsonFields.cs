using System.Globalization;
using System.Text.Json;

namespace Herald.UniFi.Internal;

/// <summary>
/// Lenient field readers: controllers send the same field as a number on one firmware and a string on
/// another, so a value of the wrong shape reads as absent instead of failing the entry.
/// </summary>
internal static class JsonFields
{
    public static string? GetString(JsonElement entry, string name)
    {
        if (entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString();
            return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        }

        return null;
    }

    public static string? GetMac(JsonElement entry, string name) => GetString(entry, name)?.ToLowerInvariant();

    public static int? GetInt32(JsonElement entry, string name)
        => GetInt64(entry, name) is long n && n is >= int.MinValue and <= int.MaxValue ? (int)n : null;

    public static long? GetInt64(JsonElement entry, string name)
    {
        if (!entry.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
    }

    public static bool? GetBoolean(JsonElement entry, string name)
    {
        if (!entry.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(value.GetString(), out var b) => b,
            _ => null,
        };
    }
}
