using Herald.Server;
using Herald.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Herald.FunctionalTests;

/// <summary>Two hubs sharing the in-process seams: one in-memory log, session store and bus.</summary>
public sealed class InProcessSharedLogTests : SharedLogContract
{
    private readonly InMemoryEventStore _log = new();
    private readonly InMemorySessionStore _sessions = new();
    private readonly InProcessClusterBus _bus = new();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _log.DisposeAsync();
        await _sessions.DisposeAsync();
        await _bus.DisposeAsync();
    }

    protected override Task<LoopbackApp> StartNodeAsync(string nodeId)
        => LoopbackApp.StartAsync(
            args => HeraldServer.Build(args, builder =>
            {
                builder.Services.RemoveAll<IEventStore>();
                builder.Services.RemoveAll<ISessionStore>();
                builder.Services.RemoveAll<IClusterBus>();
                builder.Services.AddSingleton<IClusterBus>(_bus);
                builder.Services.AddSingleton<IEventStore>(_log);
                builder.Services.AddSingleton<ISessionStore>(_sessions);
            }),
            "--Logging:LogLevel:Default=Warning",
            $"--Herald:NodeId={nodeId}");
}
