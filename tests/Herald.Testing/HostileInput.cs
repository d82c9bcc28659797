using System.Globalization;
using System.Text;

namespace Herald.Testing;

/// <summary>
/// Random and mutated input for Herald's parsers and for a running server: JSON client frames and event bodies that
/// look right (every field, of the right type or a wrong one), then mutated the ways hostile clients do: truncated,
/// deeply nested, with huge numbers, invalid UTF-8 or lone surrogate escapes. Deterministic for a seed, so a failure
/// names the seed that reproduces it. Property tests draw seeds from FsCheck; the fuzz run draws them in sequence.
/// </summary>
/// <param name="seed">The seed of the sequence.</param>
public sealed class HostileInput(int seed)
{
    private static readonly string[] FrameTypes = ["ping", "pong", "subscribe", "unsubscribe", "message", "publish", "auth", "teleport", ""];

    private static readonly string[] Words = ["a", "b", "cams", "front", "x.y", "*", ">", "$sys", "%2B", "é", "日本", "😀", "a b", "\"", "\\", "\n", "\t", "+", "#", "/", ",", ""];

    private static readonly string[] Segments = ["a", "b", "cams", "front", "x.y", "é", "日本", "+", "#"];

    private static readonly string[] Structure = ["{", "}", "[", "]", ",", ":", "\"", "null", "true", "1e999", "-", "0", "99999999999999999999999", " ", "{\"type\":\"ping\"}"];

    private static readonly byte[][] TextBreakers =
    [
        "\\ud800"u8.ToArray(), "\\udfff"u8.ToArray(), "\\ud83d"u8.ToArray(), "\\ude00\\ud83d"u8.ToArray(), "\\u"u8.ToArray(), "\\x"u8.ToArray(),
        [0xFF], [0xC3, 0x28], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x00], [0xC0, 0xAF],
    ];

    private static readonly int[] Depths = [10, 63, 64, 65, 200, 2000];

    private readonly Random _random = new(seed);

    /// <summary>The seed, to reproduce a failure.</summary>
    public int Seed { get; } = seed;

    /// <summary>A client frame as docs/protocol.md describes them, with random fields of the right or a wrong type.</summary>
    public byte[] ClientFrame() => Encoding.UTF8.GetBytes(Frame());

    /// <summary>A <c>POST /api/events</c> body: one event object or an array of them, with random fields.</summary>
    public byte[] EventBody() => Encoding.UTF8.GetBytes(Body());

    /// <summary>
    /// <paramref name="source"/> after up to three mutations. With <paramref name="keepText"/>, only those that leave it
    /// valid UTF-8 without lone surrogate escapes (truncation at a character, structural insertions, deep nesting).
    /// </summary>
    public byte[] Mutate(byte[] source, bool keepText = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        var bytes = source.ToList();
        // Half the inputs are left whole, so what lies behind the parser is reached too.
        var count = _random.Next(8) switch { < 4 => 0, < 6 => 1, 6 => 2, _ => 3 };
        for (var i = 0; i < count; i++)
        {
            var kinds = keepText ? 3 : 7;
            switch (_random.Next(kinds))
            {
                case 0:
                    var cut = Boundary(bytes, _random.Next(bytes.Count + 1));
                    bytes.RemoveRange(cut, bytes.Count - cut);
                    break;
                case 1:
                    bytes.InsertRange(Boundary(bytes, _random.Next(bytes.Count + 1)), Encoding.UTF8.GetBytes(Pick(Structure)));
                    break;
                case 2:
                    var depth = Pick(Depths);
                    var open = _random.Next(2) == 0 ? "[" : "{\"data\":";
                    var close = open == "[" ? "]" : "}";
                    bytes.InsertRange(0, Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(open, depth))));
                    bytes.AddRange(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(close, depth))));
                    break;
                case 3:
                    bytes.InsertRange(_random.Next(bytes.Count + 1), Pick(TextBreakers));
                    break;
                case 4:
                    if (bytes.Count > 0)
                    {
                        bytes[_random.Next(bytes.Count)] = (byte)_random.Next(256);
                    }

                    break;
                case 5:
                    var start = _random.Next(bytes.Count + 1);
                    var length = _random.Next(bytes.Count - start + 1);
                    bytes.InsertRange(start + length, bytes.GetRange(start, length));
                    break;
                default:
                    var from = _random.Next(bytes.Count + 1);
                    bytes.RemoveRange(from, _random.Next(bytes.Count - from + 1));
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>A random value for a query parameter such as <c>topics</c> or <c>since</c>, as a .NET string (not yet encoded).</summary>
    public string QueryValue() => _random.Next(3) switch
    {
        0 => string.Join(',', Enumerable.Range(0, _random.Next(4)).Select(_ => Topic())),
        1 => Number(),
        _ => string.Concat(Enumerable.Range(0, _random.Next(6)).Select(_ => Pick(["a", "/", "#", "+", ",", " ", "%", "%2", "%23", "é", "\ud800", "\0", "-", "9", "&", "="]))),
    };

    /// <summary>A number the way JSON or a query may spell one: small, negative, fractional, huge or not quite a number.</summary>
    public string Number() => _random.Next(10) switch
    {
        0 => "-1",
        1 => "1.5",
        2 => "1e400",
        3 => "9223372036854775807",
        4 => "9223372036854775808",
        5 => "-9223372036854775809",
        6 => "123456789012345678901234567890",
        7 => "0x10",
        _ => _random.Next(0, 1000).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>One of <paramref name="items"/>.</summary>
    public T Pick<T>(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items[_random.Next(items.Count)];
    }

    /// <summary>A random integer in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public int Next(int min, int max) => _random.Next(min, max);

    private string Frame()
    {
        var fields = new List<string>();
        if (_random.Next(10) > 0)
        {
            fields.Add("\"type\":" + (_random.Next(12) > 0 ? Quote(Pick(FrameTypes)) : Value(1)));
        }

        if (_random.Next(2) == 0)
        {
            fields.Add("\"topics\":" + _random.Next(5) switch
            {
                0 => Quote(string.Join(',', Enumerable.Range(0, _random.Next(1, 4)).Select(_ => Topic()))),
                1 => Value(2),
                _ => "[" + string.Join(',', Enumerable.Range(0, _random.Next(4)).Select(_ => _random.Next(8) > 0 ? Quote(Topic()) : Value(1))) + "]",
            });
        }

        if (_random.Next(4) == 0)
        {
            fields.Add("\"since\":" + (_random.Next(4) > 0 ? Number() : Value(1)));
        }

        if (_random.Next(2) == 0)
        {
            fields.Add("\"ref\":" + Value(2));
        }

        if (_random.Next(3) == 0)
        {
            fields.Add("\"data\":" + (_random.Next(2) == 0 ? Body() : Value(3)));
        }

        if (_random.Next(6) == 0)
        {
            fields.Add("\"token\":" + (_random.Next(2) == 0 ? Quote(Text()) : Value(1)));
        }

        Shuffle(fields);
        return "{" + string.Join(',', fields) + "}";
    }

    private string Body()
    {
        if (_random.Next(3) > 0)
        {
            return Event();
        }

        return "[" + string.Join(',', Enumerable.Range(0, _random.Next(4)).Select(_ => _random.Next(8) > 0 ? Event() : Value(1))) + "]";
    }

    private string Event()
    {
        var fields = new List<string>();
        if (_random.Next(10) > 0)
        {
            fields.Add("\"topic\":" + (_random.Next(8) > 0 ? Quote(Topic()) : Value(1)));
        }

        if (_random.Next(10) > 0)
        {
            fields.Add("\"type\":" + (_random.Next(8) > 0 ? Quote(Pick(["motion", "t", "", " ", "é"])) : Value(1)));
        }

        if (_random.Next(2) == 0)
        {
            fields.Add("\"data\":" + Value(3));
        }

        if (_random.Next(4) == 0)
        {
            fields.Add("\"time\":" + (_random.Next(3) > 0 ? Quote(Pick(["2026-01-25T03:54:30.123Z", "2026-13-45T99:99:99Z", "yesterday", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59+14:00"])) : Value(1)));
        }

        if (_random.Next(4) == 0)
        {
            fields.Add("\"source\":" + (_random.Next(3) > 0 ? Quote(Text()) : Value(1)));
        }

        Shuffle(fields);
        return "{" + string.Join(',', fields) + "}";
    }

    /// <summary>A topic or pattern: mostly valid ones, some too long, too deep or with characters topics may not hold.</summary>
    private string Topic()
        => _random.Next(20) == 0 ? new string('a', _random.Next(250, 300))
            : _random.Next(20) == 0 ? string.Join('/', Enumerable.Repeat("d", _random.Next(30, 130)))
            : string.Join('/', Enumerable.Range(0, _random.Next(1, 4)).Select(_ => _random.Next(4) == 0 ? Pick(Words) : Pick(Segments)));

    private string Text() => string.Concat(Enumerable.Range(0, _random.Next(5)).Select(_ => Pick(Words)));

    /// <summary>Any JSON value, at most <paramref name="depth"/> containers deep.</summary>
    private string Value(int depth) => _random.Next(depth > 0 ? 8 : 6) switch
    {
        0 => "null",
        1 => _random.Next(2) == 0 ? "true" : "false",
        2 or 3 => Number(),
        4 or 5 => Quote(Text()),
        6 => "[" + string.Join(',', Enumerable.Range(0, _random.Next(4)).Select(_ => Value(depth - 1))) + "]",
        _ => "{" + string.Join(',', Enumerable.Range(0, _random.Next(4)).Select(_ => Quote(Text()) + ":" + Value(depth - 1))) + "}",
    };

    /// <summary>A JSON string; control characters become \n and \t only (the words hold no others), so the text has no \u escape.</summary>
    private static string Quote(string text)
        => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal) + "\"";

    private void Shuffle(List<string> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = _random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>The nearest index at or before <paramref name="index"/> that does not split a UTF-8 character.</summary>
    private static int Boundary(List<byte> bytes, int index)
    {
        while (index > 0 && index < bytes.Count && (bytes[index] & 0xC0) == 0x80)
        {
            index--;
        }

        return index;
    }
}
