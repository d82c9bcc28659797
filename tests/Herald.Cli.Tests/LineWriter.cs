using System.Text;
using System.Threading.Channels;

namespace Herald.Cli.Tests;

/// <summary>A thread-safe writer that hands each complete line to the test as it is written.</summary>
internal sealed class LineWriter : TextWriter
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _current = new();
    private readonly StringBuilder _all = new();

    public override Encoding Encoding => Encoding.UTF8;

    public string Text
    {
        get
        {
            lock (_current)
            {
                return _all.ToString();
            }
        }
    }

    public override void Write(char value)
    {
        lock (_current)
        {
            _all.Append(value);
            if (value == '\n')
            {
                _lines.Writer.TryWrite(_current.ToString().TrimEnd('\r'));
                _current.Clear();
            }
            else
            {
                _current.Append(value);
            }
        }
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? string.Empty)
        {
            Write(c);
        }
    }

    public override void WriteLine(string? value) => Write(value + "\n");

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public async Task<string> ReadLineAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Herald.Testing.Timeouts.Default);
        return await _lines.Reader.ReadAsync(cts.Token);
    }
}
