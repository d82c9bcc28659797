using System.Diagnostics;
using System.Text.Json;
using Herald.Benchmarks.Shared;

namespace Herald.Benchmarks.Load;

/// <summary>
/// The <c>load</c> subcommand: opens the connections, then obeys stdin commands (<c>go</c>,
/// <c>report EXPECTED QUIET_MS</c>, <c>stop</c>) and answers with JSON lines on stdout.
/// </summary>
public sealed class LoadWorker
{
    private static readonly TimeSpan MaxDrain = TimeSpan.FromSeconds(30);

    private readonly LoadOptions _options;
    private readonly LoadStats _stats = new();
    private readonly List<BenchClient> _clients = [];
    private readonly List<Task> _loops = [];

    public LoadWorker(LoadOptions options)
    {
        _options = options;
    }

    public async Task<int> RunAsync()
    {
        using var handler = new SourceAddresses(_options.SourceAddresses).CreateHandler();
        using var invoker = new HttpMessageInvoker(handler);
        await ConnectAllAsync(invoker);
        Write("ready", received: 0);
        using var heartbeat = new CancellationTokenSource();
        var heartbeats = HeartbeatLoopAsync(heartbeat.Token);

        while (await Console.In.ReadLineAsync() is { } line)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                continue;
            }
            if (parts[0] == "go")
            {
                StartDrops();
            }
            else if (parts[0] == "report")
            {
                var expected = long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
                var quiet = TimeSpan.FromMilliseconds(int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
                await DrainAsync(expected, quiet);
                Report(expected);
            }
            else if (parts[0] == "stop")
            {
                break;
            }
        }
        await heartbeat.CancelAsync();
        await heartbeats;
        foreach (var client in _clients)
        {
            client.Stop();
        }
        await Task.WhenAny(Task.WhenAll(_loops), Task.Delay(5000));
        return 0;
    }

    private async Task ConnectAllAsync(HttpMessageInvoker invoker)
    {
        var track = _options.Drops > 0;
        using var gate = new SemaphoreSlim(_options.Concurrency);
        var connects = new List<Task>();
        for (var i = 0; i < _options.Connections; i++)
        {
            var client = new BenchClient(_options, invoker, _stats, track);
            await gate.WaitAsync();
            connects.Add(Task.Run(async () =>
            {
                try
                {
                    if (await client.ConnectAsync())
                    {
                        _stats.OnConnected();
                        lock (_clients)
                        {
                            _clients.Add(client);
                            _loops.Add(Task.Run(client.RunAsync));
                        }
                    }
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        await Task.WhenAll(connects);
    }

    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.Heartbeat);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                foreach (var client in _clients)
                {
                    await client.SendHeartbeatAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>Every client is dropped <see cref="LoadOptions.Drops"/> times at random moments in the window.</summary>
    private void StartDrops()
    {
        if (_options.Drops == 0)
        {
            return;
        }
        var window = _options.DropWindow.TotalMilliseconds;
        foreach (var client in _clients)
        {
            var random = new Random(Random.Shared.Next());
            _ = Task.Run(async () =>
            {
                // Even slots with jitter: no two drops of one client overlap, and the last ends inside the window.
                var slot = window / _options.Drops;
                for (var i = 0; i < _options.Drops; i++)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(slot * random.NextDouble() * 0.8));
                    client.Drop();
                    await Task.Delay(TimeSpan.FromMilliseconds(slot * 0.2));
                    while (!client.IsOpen)
                    {
                        await Task.Delay(20);
                    }
                }
            });
        }
    }

    /// <summary>Waits until every client has the last expected event, or nothing arrived for <paramref name="quiet"/>.</summary>
    private async Task DrainAsync(long expected, TimeSpan quiet)
    {
        var lastChange = Stopwatch.StartNew();
        var overall = Stopwatch.StartNew();
        var lastReceived = _stats.Received;
        // A hard cap keeps an overloaded server that trickles events from stretching a run without end.
        while (lastChange.Elapsed < quiet && overall.Elapsed < MaxDrain)
        {
            if (expected == 0 || _clients.All(c => c.LastSeq >= expected - 1 || (!c.IsOpen && _options.Drops == 0)))
            {
                return;
            }
            await Task.Delay(25);
            var received = _stats.Received;
            if (received != lastReceived)
            {
                lastReceived = received;
                lastChange.Restart();
            }
        }
    }

    private void Report(long expected)
    {
        long lost = 0;
        if (_options.Drops > 0)
        {
            foreach (var client in _clients)
            {
                lost += client.CountLost(expected);
            }
        }
        Write("report", _stats.TakeReceived(), lost);
    }

    private void Write(string kind, long received, long lost = 0)
    {
        var message = new WorkerMessage
        {
            Kind = kind,
            Connected = _stats.Connected,
            Failed = _stats.Failed,
            Open = _clients.Count(c => c.IsOpen),
            Dropped = _stats.Dropped,
            Received = received,
            Lost = lost,
            Duplicates = _stats.Duplicates,
            OutOfOrder = _stats.OutOfOrder,
            Reconnects = _stats.Reconnects,
            Latency = _stats.Latency.ToPairs(),
            Errors = _stats.Errors(),
        };
        _stats.Latency.Reset();
        Console.Out.WriteLine(JsonSerializer.Serialize(message, BenchJson.Options));
        Console.Out.Flush();
    }
}
