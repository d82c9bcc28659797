using Herald.Server;
using Herald.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Client.Tests;

/// <summary>Herald servers for the client tests: fast heartbeats, optionally sharing stores across restarts.</summary>
internal static class TestServers
{
    public const string FastHeartbeat = "--Herald:HeartbeatInterval=00:00:00.200";

    public static Task<LoopbackApp> StartAsync(params string[] args) => LoopbackApp.StartAsync(a => HeraldServer.Build(a), [FastHeartbeat, .. args]);

    /// <summary>A server on the given stores, so a restarted one keeps the events and accepts the old resume tokens.</summary>
    public static Task<LoopbackApp> StartAsync(IEventStore events, ISessionStore sessions, params string[] args)
        => LoopbackApp.StartAsync(
            a => HeraldServer.Build(a, b =>
            {
                b.Services.AddSingleton(events);
                b.Services.AddSingleton(sessions);
            }),
            [FastHeartbeat, .. args]);

    public static HeraldClientOptions Options(LoopbackApp server, params string[] topics)
    {
        var options = new HeraldClientOptions
        {
            ServerUri = server.BaseAddress,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(250),
        };
        if (topics.Length > 0)
        {
            options.Topics.Clear();
            foreach (var topic in topics)
            {
                options.Topics.Add(topic);
            }
        }

        return options;
    }

    public static CancellationToken Bounded(TimeSpan? timeout = null) => new CancellationTokenSource(timeout ?? Timeouts.Default).Token;
}
