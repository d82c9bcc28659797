using System.Globalization;

namespace Herald.Server;

/// <summary>The process's open-file limit, which bounds how many sockets one server can hold.</summary>
internal static class OpenFileLimit
{
    /// <summary>Descriptors kept free for the database, logs, the listener and the runtime.</summary>
    public const int Headroom = 128;

    /// <summary>The soft limit on open files, or null where it cannot be read (not Linux).</summary>
    public static long? Read()
    {
        const string Limits = "/proc/self/limits";
        if (!File.Exists(Limits))
        {
            return null;
        }

        foreach (var line in File.ReadLines(Limits))
        {
            // "Max open files            20000                20000                files"
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return fields.Length > 0 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var soft) ? soft : null;
            }
        }

        return null;
    }

    /// <summary>
    /// How many WebSockets fit under the limit beside <paramref name="httpConnections"/> plain HTTP
    /// connections and <see cref="Headroom"/>, or null when the limit is unknown or too small to matter.
    /// </summary>
    public static long? MaxWebSockets(long httpConnections)
        => Read() is { } limit && limit > (Headroom + httpConnections) * 2 ? limit - Headroom - httpConnections : null;
}
