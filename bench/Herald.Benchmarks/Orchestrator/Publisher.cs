using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Herald.Benchmarks.Servers;
using Herald.Benchmarks.Shared;

namespace Herald.Benchmarks.Orchestrator;

/// <summary>Publishes timestamped payloads over HTTP, one at a time and in order, at a fixed rate.</summary>
public sealed class Publisher : IDisposable
{
    private readonly HttpClient _client;
    private readonly ServerProcess _server;

    public Publisher(ServerProcess server)
    {
        _server = server;
        _client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(server.Url) };
    }

    /// <summary>
    /// Concurrent publish requests for a scenario whose rate is fixed: enough that a slow answer under load (a
    /// reference server answers only after its fan-out) never lowers the rate offered.
    /// </summary>
    public const int OnScheduleInFlight = 16;

    /// <summary>The next sequence number: the count published so far.</summary>
    public long Published { get; private set; }

    /// <summary>
    /// Publishes at <paramref name="ratePerSecond"/> for <paramref name="duration"/>; returns how long it took.
    /// With <paramref name="maxInFlight"/> 1 (the default) events go one at a time, in sequence order; more lets
    /// a slow answer not hold the schedule back, so the rate asked for is the rate offered.
    /// </summary>
    public async Task<TimeSpan> PublishAsync(double ratePerSecond, TimeSpan duration, int maxInFlight = 1)
    {
        var total = (long)Math.Round(ratePerSecond * duration.TotalSeconds);
        var clock = Stopwatch.StartNew();
        using var slots = new SemaphoreSlim(maxInFlight);
        var sends = new List<Task>();
        var next = Published;
        for (long i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / ratePerSecond);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }
            await slots.WaitAsync();
            sends.Add(SendAsync(next++, slots));
        }
        await Task.WhenAll(sends);
        Published = next;
        return clock.Elapsed;
    }

    public async Task PublishOneAsync()
    {
        await PostAsync(Published);
        Published++;
    }

    private async Task SendAsync(long sequence, SemaphoreSlim slots)
    {
        try
        {
            await PostAsync(sequence);
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task PostAsync(long sequence)
    {
        var body = ServerKinds.WrapForPublish(_server.Kind, Payload.Create(sequence));
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _client.PostAsync(new Uri(ServerKinds.PublishPath(_server.Kind), UriKind.Relative), content);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"publish to {_server.Kind} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    public void Dispose()
    {
        _client.Dispose();
    }
}
