using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server;
using Herald.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Dashboard.Tests;

/// <summary>
/// The standalone server (<c>herald serve</c>, dashboard included) on a loopback port with a durable SQLite store
/// in a temp directory, which it can stop and start again on the same port with the same data.
/// </summary>
public sealed class HeraldTestServer : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly Action<WebApplicationBuilder>? _configure;
    private readonly string[] _args;
    private LoopbackApp? _app;
    private int _port;

    private HeraldTestServer(Action<WebApplicationBuilder>? configure, string[] args)
    {
        _configure = configure;
        _args = args;
    }

    /// <summary>The <c>http://127.0.0.1:PORT/</c> the server listens on, the same across restarts.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{_port}/");

    /// <summary>The running server's app.</summary>
    public LoopbackApp App => _app ?? throw new InvalidOperationException("The server is stopped.");

    public HttpClient Http => App.Http;

    public IHeraldHub Hub => App.Services.GetRequiredService<IHeraldHub>();

    /// <summary>Starts a server; <paramref name="configure"/> changes its builder (services, options).</summary>
    public static async Task<HeraldTestServer> StartAsync(Action<WebApplicationBuilder>? configure = null, params string[] args)
    {
        var server = new HeraldTestServer(configure, args);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Stops the server gracefully (clients see close code 1001).</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.DisposeAsync();
        }
    }

    /// <summary>Starts the server (again), on the same port and database once it has run.</summary>
    public async Task StartAgainAsync()
    {
        string[] args =
        [
            "--Herald:Store=sqlite",
            $"--Herald:Sqlite:Path={_directory.DatabasePath}",
            "--Herald:Sqlite:Synchronous=Normal",
            "--Logging:LogLevel:Default=Warning",
            .. _port == 0 ? Array.Empty<string>() : [$"--urls=http://127.0.0.1:{_port}"],
            .. _args,
        ];
        _app = await LoopbackApp.StartAsync(a => HeraldServer.Build(a, _configure), args);
        _port = _app.BaseAddress.Port;
    }

    /// <summary>Publishes events over HTTP and returns their ids.</summary>
    public async Task<long[]> PublishAsync(params object[] events)
    {
        using var response = await Http.PostAsJsonAsync("api/events", events).WithTimeout();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>().WithTimeout();
        return [.. body.GetProperty("ids").EnumerateArray().Select(i => i.GetInt64())];
    }

    /// <summary>Publishes <paramref name="count"/> events on <paramref name="topic"/>, data <c>{"n":i}</c>.</summary>
    public Task<long[]> PublishManyAsync(string topic, string type, int count, int first = 1)
        => PublishAsync([.. Enumerable.Range(first, count).Select(i => (object)new { topic, type, data = new { n = i } })]);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _directory.Dispose();
    }
}
