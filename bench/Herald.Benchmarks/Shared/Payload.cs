using System.Buffers.Text;
using System.Diagnostics;
using System.Text;

namespace Herald.Benchmarks.Shared;

/// <summary>
/// The ~100-byte event payload: a sequence number and the publisher's <see cref="Stopwatch"/> timestamp.
/// Stopwatch is CLOCK_MONOTONIC on Linux, shared by all processes, so the receiver subtracts directly.
/// </summary>
public static class Payload
{
    private const int TargetSize = 100;

    private static readonly byte[] SeqKey = "\"seq\":"u8.ToArray();
    private static readonly byte[] TsKey = "\"ts\":"u8.ToArray();
    private static readonly byte[] IdKey = "\"id\":"u8.ToArray();

    public static string Create(long seq)
    {
        var head = $"{{\"seq\":{seq},\"ts\":{Stopwatch.GetTimestamp()},\"pad\":\"";
        var pad = Math.Max(0, TargetSize - head.Length - 2);
        return string.Concat(head, new string('x', pad), "\"}");
    }

    public static string CreateBatch(long firstSeq, int count, Func<string, string> wrap)
    {
        var sb = new StringBuilder("[");
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }
            sb.Append(wrap(Create(firstSeq + i)));
        }
        return sb.Append(']').ToString();
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
