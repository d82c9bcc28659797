namespace Herald.Testing;

/// <summary>Reads Server-Sent Events records off a stream the way a browser's EventSource parses them.</summary>
public static class SseReader
{
    /// <summary>Reads records until one satisfies <paramref name="until"/> and returns all read, that one last.</summary>
    public static async Task<List<SseRecord>> ReadRecordsAsync(StreamReader reader, Func<SseRecord, bool> until)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(until);
        var records = new List<SseRecord>();
        var current = new SseRecord();
        while (true)
        {
            var line = await reader.ReadLineAsync().WithTimeout() ?? throw new InvalidOperationException("The stream ended.");
            if (line.Length == 0)
            {
                records.Add(current);
                if (until(current))
                {
                    return records;
                }

                current = new SseRecord();
            }
            else if (line.StartsWith(':'))
            {
                current = current with { Comment = line[1..].TrimStart() };
            }
            else
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var (field, value) = colon < 0 ? (line, string.Empty) : (line[..colon], line[(colon + 1)..]);
                value = value.StartsWith(' ') ? value[1..] : value;
                current = field switch
                {
                    "id" => current with { Id = value },
                    "event" => current with { Event = value },
                    "data" => current with { Data = current.Data is null ? value : current.Data + "\n" + value },
                    _ => current,
                };
            }
        }
    }
}
