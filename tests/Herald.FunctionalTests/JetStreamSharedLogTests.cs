using Herald.Server;
using Herald.Testing;

namespace Herald.FunctionalTests;

/// <summary>Two hubs on one NATS JetStream server, each with its own connection, as two nodes of a cluster.</summary>
public sealed class JetStreamSharedLogTests(NatsFixture nats) : SharedLogContract, IClassFixture<NatsFixture>
{
    private string[]? _backend;

    protected override Task<LoopbackApp> StartNodeAsync(string nodeId)
        => LoopbackApp.StartAsync(
            args => HeraldServer.Build(args),
            [.. _backend ??= nats.NewBackendArgs(), "--Logging:LogLevel:Default=Warning", $"--Herald:NodeId={nodeId}"]);
}
