using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Herald.Benchmarks.Shared;

namespace Herald.Benchmarks.Load;

/// <summary>
/// The <c>load</c> subcommand: connects its subscribers on an <see cref="EventLoop"/> thread, then obeys stdin commands
/// and answers with JSON lines on stdout:
/// <c>report deliveries N QUIET_MS MAX_MS</c> / <c>report seq S QUIET_MS MAX_MS</c> (wait until N events arrived, or
/// every subscriber has S, or nothing arrived for QUIET_MS; then report), <c>go</c> (start the drops),
/// <c>storm SINCE FIRST_SEQ TRACK CONCURRENCY</c> (everyone reconnects with since), <c>add N FIRST_INDEX</c> (more
/// subscribers; answered with ready), <c>status</c> (counts, nothing reset) and <c>stop</c>.
/// </summary>
internal sealed class LoadWorker(LoadOptions options)
{
    public async Task<int> RunAsync()
    {
        using var loop = new EventLoop(options);
        var thread = new Thread(loop.Run) { IsBackground = true, Name = "load-epoll" };
        thread.Start();
        await loop.AddAsync(options.Connections, options.FirstIndex);
        Write(loop, "ready", 0, 0, new LatencyHistogram(), lost: 0);

        while (await Console.In.ReadLineAsync() is { } line)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                continue;
            }
            switch (parts[0])
            {
                case "report":
                    await ReportAsync(loop, parts[1], Long(parts[2]), TimeSpan.FromMilliseconds(Long(parts[3])), TimeSpan.FromMilliseconds(Long(parts[4])));
                    break;
                case "status":
                    Write(loop, "status", 0, 0, new LatencyHistogram(), lost: 0);
                    break;
                case "go":
                    loop.StartDrops();
                    break;
                case "storm":
                    loop.Storm(Long(parts[1]), Long(parts[2]), (int)Long(parts[3]), (int)Long(parts[4]));
                    break;
                case "add":
                    await loop.AddAsync((int)Long(parts[1]), (int)Long(parts[2]));
                    Write(loop, "ready", 0, 0, new LatencyHistogram(), lost: 0);
                    break;
                case "stop":
                    loop.Stop();
                    thread.Join(TimeSpan.FromSeconds(5));
                    return 0;
                default:
                    await Console.Error.WriteLineAsync("load: unknown command " + line);
                    break;
            }
        }
        loop.Stop();
        thread.Join(TimeSpan.FromSeconds(5));
        return 0;
    }

    private static long Long(string text) => long.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>
    /// Waits until <paramref name="target"/> deliveries arrived (mode <c>deliveries</c>) or every subscriber that is
    /// connected has sequence number <paramref name="target"/> (mode <c>seq</c>), or nothing arrived for
    /// <paramref name="quiet"/>, or <paramref name="max"/> passed (an overloaded server that trickles events must not
    /// stretch a run without end); then reports.
    /// </summary>
    private async Task ReportAsync(EventLoop loop, string mode, long target, TimeSpan quiet, TimeSpan max)
    {
        var bySeq = mode == "seq";
        var lastChange = Stopwatch.StartNew();
        var overall = Stopwatch.StartNew();
        var subscribers = loop.Subscribers;
        var baseline = loop.Stats.Received;
        var lastReceived = baseline;
        while (lastChange.Elapsed < quiet && overall.Elapsed < max)
        {
            var received = loop.Stats.Received;
            var done = bySeq
                ? subscribers.All(s => s.LastSeq >= target || (s.State != SubscriberState.Ready && !options.Reconnect && options.Drops == 0))
                : target > 0 && received >= target;
            if (done)
            {
                break;
            }
            await Task.Delay(20);
            if (received != lastReceived)
            {
                lastReceived = received;
                lastChange.Restart();
            }
        }
        var lost = bySeq ? subscribers.Sum(s => s.Tracker?.Missing(target) ?? 0) : 0;
        var (events, bytes, latency) = loop.Stats.Take();
        Write(loop, "report", events, bytes, latency, lost);
    }

    private static void Write(EventLoop loop, string kind, long received, long bytes, LatencyHistogram latency, long lost)
    {
        var stats = loop.Stats;
        var subscribers = loop.Subscribers;
        var message = new WorkerMessage
        {
            Kind = kind,
            Connected = stats.Connected,
            Failed = stats.Failed,
            Open = subscribers.Count(s => s.State == SubscriberState.Ready),
            Live = subscribers.Count(s => s.State == SubscriberState.Ready && !s.Resuming && Volatile.Read(ref s.LiveAt) > 0),
            LastLiveAt = subscribers.Count == 0 ? 0 : subscribers.Max(s => Volatile.Read(ref s.LiveAt)),
            Dropped = stats.Dropped,
            Received = received,
            Bytes = bytes,
            Lost = lost,
            Duplicates = stats.Duplicates,
            OutOfOrder = stats.OutOfOrder,
            Reconnects = stats.Reconnects,
            LastReconnectAt = stats.LastReconnectAt,
            Losses = stats.Losses,
            FirstLossAt = stats.FirstLossAt,
            Latency = latency.ToPairs(),
            Errors = stats.Errors(),
        };
        Console.Out.WriteLine(JsonSerializer.Serialize(message, BenchJson.Options));
        Console.Out.Flush();
    }
}
