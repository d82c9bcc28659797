using System.Net.WebSockets;
using System.Text.Json;
using Herald.Server;
using Microsoft.AspNetCore.SignalR;

namespace Herald.Benchmarks.Servers;

/// <summary>The <c>server</c> subcommand: hosts one kind of server until stdin closes.</summary>
public static class BenchServer
{
    public static async Task<int> RunAsync(ServerOptions options)
    {
        await using var app = Build(options);
        // Every kind answers this so the orchestrator can read GC figures next to /proc's.
        // ?collect=true forces a full GC first, so managedHeap is live objects only (read RSS before asking).
        app.MapGet("/bench/stats", (bool? collect) => new
        {
            managedHeap = GC.GetTotalMemory(collect ?? false),
            serverGc = System.Runtime.GCSettings.IsServerGC,
            gcCommitted = GC.GetGCMemoryInfo().TotalCommittedBytes,
            gcHeapSize = GC.GetGCMemoryInfo().HeapSizeBytes,
            gcFragmented = GC.GetGCMemoryInfo().FragmentedBytes,
            allocated = GC.GetTotalAllocatedBytes(false),
            gen0 = GC.CollectionCount(0),
            gen1 = GC.CollectionCount(1),
            gen2 = GC.CollectionCount(2),
        });
        await app.StartAsync();
        Console.WriteLine("listening " + options.Url);
        // The orchestrator closes stdin (or kills the process) to stop the server.
        await Task.Run(() => Console.In.ReadToEnd());
        await app.StopAsync();
        return 0;
    }

    private static WebApplication Build(ServerOptions options)
    {
        string[] common = ["--urls", options.Url, "--Logging:LogLevel:Default=Warning"];
        return options.Kind switch
        {
            ServerKind.Herald => BuildHerald(options, common),
            ServerKind.Raw => BuildRaw(options, common),
            ServerKind.SignalR => BuildSignalR(options, common),
            _ => throw new ArgumentException(options.Kind + " does not run on .NET"),
        };
    }

    private static WebApplication BuildHerald(ServerOptions options, string[] common)
    {
        var heartbeat = options.Heartbeat.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        List<string> args =
        [
            .. common, "--Herald:Store=" + options.Store, "--Herald:HeartbeatInterval=" + heartbeat,
            // WebSocket publishing is on so that the ingest scenario can publish over the socket too.
            "--Herald:AllowClientPublish=true",
            // The load comes from a handful of loopback addresses at rates and counts far past what one client may
            // use in production: lift the per-address limits, the REST rate limit and the per-connection frame rate,
            // which are not what is measured.
            "--Herald:MaxConnectionsPerAddress=1000000", "--Herald:MaxHttpConnectionsPerAddress=100000",
            "--Herald:RateLimit:RequestsPerSecond=100000000", "--Herald:RateLimit:Burst=100000000",
            "--Herald:ClientFrameRate=0",
        ];
        if (options.SqlitePath is not null)
        {
            args.Add("--Herald:Sqlite:Path=" + options.SqlitePath);
        }
        if (options.Nats is not null)
        {
            args.AddRange(["--Herald:Nats:Url=" + options.Nats, "--Herald:Nats:Replicas=" + options.Replicas.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        if (options.NodeId is not null)
        {
            args.Add("--Herald:NodeId=" + options.NodeId);
        }
        return HeraldServer.Build([.. args]);
    }

    private static WebApplication BuildRaw(ServerOptions options, string[] common)
    {
        var builder = WebApplication.CreateBuilder(common);
        builder.Services.AddSingleton(new RawBroadcaster(options.Heartbeat));
        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Map("/ws", async (HttpContext context, RawBroadcaster broadcaster) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await broadcaster.RunAsync(socket, Topic(context));
        });
        app.MapPost("/publish", async (HttpContext context, RawBroadcaster broadcaster) =>
        {
            broadcaster.Publish(Topic(context), await ReadBodyAsync(context));
            return Results.NoContent();
        });
        app.MapPost("/api/events", RawIngest.HandleAsync);
        return app;
    }

    private static WebApplication BuildSignalR(ServerOptions options, string[] common)
    {
        var builder = WebApplication.CreateBuilder(common);
        builder.Services.AddSignalR(hub =>
        {
            hub.KeepAliveInterval = options.Heartbeat;
            // Herald's default client timeout, so neither reference closes idle clients sooner.
            hub.ClientTimeoutInterval = TimeSpan.FromSeconds(120);
        });
        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.MapHub<BenchHub>("/hub");
        app.MapPost("/publish", async (HttpContext context, IHubContext<BenchHub> hub) =>
        {
            using var document = JsonDocument.Parse(await ReadBodyAsync(context));
            var group = hub.Clients.Group(Topic(context));
            if (document.RootElement.ValueKind == JsonValueKind.Array)
            {
                foreach (var element in document.RootElement.EnumerateArray())
                {
                    await group.SendAsync("event", element);
                }
            }
            else
            {
                await group.SendAsync("event", document.RootElement);
            }
            return Results.NoContent();
        });
        return app;
    }

    /// <summary>The <c>topic</c> query parameter; <c>bench</c> without one.</summary>
    private static string Topic(HttpContext context)
        => context.Request.Query["topic"].ToString() is { Length: > 0 } topic ? topic : "bench";

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        return buffer.ToArray();
    }
}
