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

    /// <summary>The next sequence number: the count published so far.</summary>
    public long Published { get; private set; }

    /// <summary>Publishes at <paramref name="ratePerSecond"/> for <paramref name="duration"/>; returns how long it took.</summary>
    public async Task<TimeSpan> PublishAsync(double ratePerSecond, TimeSpan duration)
    {
        var total = (long)Math.Round(ratePerSecond * duration.TotalSeconds);
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / ratePerSecond);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }
            await PublishOneAsync();
        }
        return clock.Elapsed;
    }

    public async Task PublishOneAsync()
    {
        var body = ServerKinds.WrapForPublish(_server.Kind, Payload.Create(Published));
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _client.PostAsync(new Uri(ServerKinds.PublishPath(_server.Kind), UriKind.Relative), content);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"publish to {_server.Kind} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        Published++;
    }

    public void Dispose()
    {
        _client.Dispose();
    }
}
