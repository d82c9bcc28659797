using System.Collections.Concurrent;
using System.Threading.Channels;
using Herald.Testing;

namespace Herald.UniFi.Tests;

/// <summary>A <see cref="UniFiSource"/> running in the background, with its events and state changes queued for the test.</summary>
internal sealed class SourceRun : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<UniFiEvent> _events = Channel.CreateUnbounded<UniFiEvent>();
    private readonly Channel<UniFiSourceStateChangedEventArgs> _states = Channel.CreateUnbounded<UniFiSourceStateChangedEventArgs>();
    private readonly ConcurrentQueue<UniFiSourceStateChangedEventArgs> _history = new();

    private SourceRun(UniFiControllerOptions options, Func<IReadOnlyList<UniFiEvent>, CancellationToken, ValueTask>? sink)
    {
        Logger = new ListLogger();
        Source = new UniFiSource(options, Logger);
        Source.StateChanged += (_, e) =>
        {
            _history.Enqueue(e);
            _states.Writer.TryWrite(e);
        };
        Run = Source.RunAsync(sink ?? CollectAsync, _stop.Token);
    }

    public UniFiSource Source { get; }

    public Task Run { get; }

    public ListLogger Logger { get; }

    public IReadOnlyList<UniFiSourceStateChangedEventArgs> History => [.. _history];

    public static SourceRun Start(UniFiControllerOptions options, Func<IReadOnlyList<UniFiEvent>, CancellationToken, ValueTask>? sink = null)
        => new(options, sink);

    public async Task<UniFiEvent> NextEventAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeouts.Default);
        try
        {
            return await _events.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            var statistics = Source.Statistics;
            throw new TimeoutException(
                $"No event reached the sink in time; state {Source.State}, {statistics.Connections} connections, " +
                $"{statistics.Parser.Frames} frames, last error: {statistics.LastError ?? "none"}.");
        }
    }

    public bool TryNextEvent(out UniFiEvent? e) => _events.Reader.TryRead(out e);

    /// <summary>Waits for the next change to <paramref name="state"/>.</summary>
    public async Task<UniFiSourceStateChangedEventArgs> WaitForStateAsync(UniFiSourceState state, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeouts.Default);
        try
        {
            while (true)
            {
                var change = await _states.Reader.ReadAsync(cts.Token);
                if (change.State == state)
                {
                    return change;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The source did not reach {state} in time; now {Source.State}, last error: {Source.Statistics.LastError}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Run.WithTimeout();
        }
        catch (UniFiLoginException)
        {
            // Tests that expect it await Run themselves.
        }

        await Source.DisposeAsync().AsTask().WithTimeout();
        _stop.Dispose();
    }

    private ValueTask CollectAsync(IReadOnlyList<UniFiEvent> events, CancellationToken cancellationToken)
    {
        foreach (var e in events)
        {
            _events.Writer.TryWrite(e);
        }

        return ValueTask.CompletedTask;
    }
}
