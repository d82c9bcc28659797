namespace Herald.Internal.Http;

/// <summary>
/// The bytes one history page may hold (<see cref="HeraldOptions.MaxHistoryResponseSize"/>), and how many events to
/// ask the store for next so a page never reads far past them: a few at first, then as many as the bytes left hold
/// at the largest event seen so far.
/// </summary>
internal sealed class PageBudget(long maxBytes)
{
    /// <summary>The first read's size, before any event's size is known.</summary>
    private const int FirstRead = 16;

    private int _largest;

    public long MaxBytes => maxBytes;

    /// <summary>About how many bytes <paramref name="e"/> takes in a page: its payload, its strings and the JSON around them.</summary>
    public static int SizeOf(HeraldEvent e) => e.Data.Length + e.Topic.Length + e.Type.Length + (e.Source?.Length ?? 0) + 96;

    /// <summary>Notes the size of an event read, for <see cref="NextRead"/>.</summary>
    public int Measure(HeraldEvent e)
    {
        var size = SizeOf(e);
        _largest = Math.Max(_largest, size);
        return size;
    }

    /// <summary>How many events to read next: at most <paramref name="wanted"/>, at least one.</summary>
    /// <param name="wanted">The events the page still lacks.</param>
    /// <param name="bytesLeft">The bytes the page still has room for.</param>
    public int NextRead(int wanted, long bytesLeft)
        => _largest == 0 ? Math.Min(wanted, FirstRead) : (int)Math.Clamp(bytesLeft / _largest, 1, Math.Max(wanted, 1));
}
