using System.Buffers;

namespace Herald.Tests;

/// <summary>One piece of a multi-segment <see cref="ReadOnlySequence{T}"/>, as a socket's reads deliver them.</summary>
internal sealed class BufferSegment : ReadOnlySequenceSegment<byte>
{
    public BufferSegment(ReadOnlyMemory<byte> memory) => Memory = memory;

    public BufferSegment Append(ReadOnlyMemory<byte> memory)
    {
        var next = new BufferSegment(memory) { RunningIndex = RunningIndex + Memory.Length };
        Next = next;
        return next;
    }

    /// <summary><paramref name="bytes"/> as a sequence cut at <paramref name="cuts"/> (ascending offsets; empty pieces allowed).</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, IEnumerable<int> cuts)
    {
        var start = 0;
        var first = new BufferSegment(ReadOnlyMemory<byte>.Empty);
        var last = first;
        foreach (var cut in cuts)
        {
            last = last.Append(bytes.AsMemory(start, cut - start));
            start = cut;
        }

        last = last.Append(bytes.AsMemory(start));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
