namespace Herald.Benchmarks.Load;

/// <summary>A growable run of bytes: what is left of a frame or record between two reads.</summary>
internal sealed class ByteBuffer
{
    private byte[] _bytes = [];
    private int _start;

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => _bytes.AsSpan(_start, Length);

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_start + Length + data.Length > _bytes.Length)
        {
            var capacity = Math.Max(256, _bytes.Length);
            while (capacity < Length + data.Length)
            {
                capacity *= 2;
            }
            var bytes = capacity == _bytes.Length ? _bytes : new byte[capacity];
            _bytes.AsSpan(_start, Length).CopyTo(bytes);
            _bytes = bytes;
            _start = 0;
        }
        data.CopyTo(_bytes.AsSpan(_start + Length));
        Length += data.Length;
    }

    public void Consume(int count)
    {
        _start += count;
        Length -= count;
        if (Length == 0)
        {
            _start = 0;
        }
    }

    public void Clear()
    {
        _start = 0;
        Length = 0;
    }
}
