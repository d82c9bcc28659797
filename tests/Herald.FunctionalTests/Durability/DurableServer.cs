using Herald.Server;
using Herald.Testing;
using Microsoft.AspNetCore.Builder;

namespace Herald.FunctionalTests.Durability;

/// <summary>Starts the standalone server on SQLite in a test's temp directory.</summary>
internal static class DurableServer
{
    public static Task<LoopbackApp> StartAsync(TempDirectory directory, params string[] args)
        => StartAsync(directory, configure: null, args);

    public static Task<LoopbackApp> StartAsync(TempDirectory directory, Action<WebApplicationBuilder>? configure, params string[] args)
        => LoopbackApp.StartAsync(
            a => HeraldServer.Build(a, configure),
            ["--Herald:Store=sqlite", $"--Herald:Sqlite:Path={directory.DatabasePath}", .. args]);
}
