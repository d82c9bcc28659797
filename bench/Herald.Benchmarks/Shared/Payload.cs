using System.Buffers.Text;
using System.Diagnostics;

namespace Herald.Benchmarks.Shared;

/// <summary>
/// An event payload (100 bytes unless asked otherwise): a sequence number, the publisher's <see cref="Stopwatch"/>
/// timestamp and padding. Stopwatch is CLOCK_MONOTONIC on Linux, shared by all processes, so the receiver subtracts
/// directly.
/// </summary>
public static class Payload
{
    public const int DefaultSize = 100;

    private static readonly byte[] SeqKey = "\"seq\":"u8.ToArray();
    private static readonly byte[] TsKey = "\"ts\":"u8.ToArray();
    private static readonly byte[] IdKey = "\"id\":"u8.ToArray();

    /// <summary>A payload of <paramref name="size"/> bytes (JSON, ASCII) numbered <paramref name="seq"/> and stamped now.</summary>
    public static string Create(long seq, int size = DefaultSize)
    {
        var head = $"{{\"seq\":{seq},\"ts\":{Stopwatch.GetTimestamp()},\"pad\":\"";
        var pad = Math.Max(0, size - head.Length - 2);
        return string.Concat(head, new string('x', pad), "\"}");
    }

    /// <summary>Reads seq and ts from a frame; false when the frame is not an event (welcome, ping, ...).</summary>
    public static bool TryRead(ReadOnlySpan<byte> frame, out long seq, out long timestamp)
    {
        timestamp = 0;
        return TryReadNumber(frame, SeqKey, out seq) && TryReadNumber(frame, TsKey, out timestamp);
    }

    /// <summary>The first <c>"id":</c> number of a Herald event frame (the event id precedes the payload).</summary>
    public static bool TryReadEventId(ReadOnlySpan<byte> frame, out long id)
    {
        return TryReadNumber(frame, IdKey, out id);
    }

    public static double ElapsedMicros(long timestamp, long now)
    {
        return (now - timestamp) * 1_000_000.0 / Stopwatch.Frequency;
    }

    private static bool TryReadNumber(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> key, out long value)
    {
        value = 0;
        var at = frame.IndexOf(key);
        return at >= 0 && Utf8Parser.TryParse(frame[(at + key.Length)..], out value, out _);
    }
}
