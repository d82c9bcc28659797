namespace Herald.Benchmarks.Load;

/// <summary>Which sequence numbers of a range one subscriber has received, to count what it lost or got twice.</summary>
internal sealed class SeqTracker
{
    private readonly ulong[] _bits;

    public SeqTracker(long from, int size)
    {
        From = from;
        Size = size;
        _bits = new ulong[(size + 63) / 64];
    }

    public long From { get; }

    public int Size { get; }

    /// <summary>Marks <paramref name="seq"/> received; false when it was already (a duplicate). Outside the range: true.</summary>
    public bool Mark(long seq)
    {
        var offset = seq - From;
        if (offset < 0 || offset >= Size)
        {
            return true;
        }
        ref var word = ref _bits[offset >> 6];
        var bit = 1UL << (int)(offset & 63);
        if ((word & bit) != 0)
        {
            return false;
        }
        word |= bit;
        return true;
    }

    /// <summary>Numbers in [From, <paramref name="last"/>] not received.</summary>
    public long Missing(long last)
    {
        long missing = 0;
        var end = Math.Min(last - From + 1, Size);
        for (long offset = 0; offset < end; offset++)
        {
            if ((_bits[offset >> 6] & (1UL << (int)(offset & 63))) == 0)
            {
                missing++;
            }
        }
        return missing;
    }
}
