using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Herald.Testing;

/// <summary>
/// A real Kestrel app on a free loopback port, stopped on dispose. Everything it logs is kept (<see cref="LogScanProvider"/>)
/// and, once it stopped, checked for secrets (<see cref="SecretScanner"/>): a test whose server logged one fails.
/// </summary>
public sealed class LoopbackApp : IAsyncDisposable
{
    private readonly LogScanProvider _logs;

    private LoopbackApp(WebApplication app, Uri baseAddress, LogScanProvider logs)
    {
        App = app;
        BaseAddress = baseAddress;
        _logs = logs;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeouts.Default };
    }

    /// <summary>The running application.</summary>
    public WebApplication App { get; }

    /// <summary>The <c>http://127.0.0.1:PORT/</c> the app listens on.</summary>
    public Uri BaseAddress { get; }

    /// <summary>An HTTP client for the app.</summary>
    public HttpClient Http { get; }

    /// <summary>Services of the app.</summary>
    public IServiceProvider Services => App.Services;

    /// <summary>Builds an app with <paramref name="build"/> (given <c>--urls http://127.0.0.1:0 --Herald:Store=memory</c> plus <paramref name="args"/>) and starts it.</summary>
    public static async Task<LoopbackApp> StartAsync(Func<string[], WebApplication> build, params string[] args)
    {
        // Tests run in parallel: the in-memory store unless a test asks for another (later arguments win).
        var app = build(["--urls", "http://127.0.0.1:0", "--Herald:Store=memory", .. LogScanProvider.Settings, .. args]);
        var logs = new LogScanProvider();
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        await app.StartAsync().WithTimeout();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackApp(app, new Uri(address.EndsWith('/') ? address : address + "/"), logs);
    }

    /// <summary>The WebSocket URI of <paramref name="path"/> on this app.</summary>
    public Uri WebSocketUri(string path = "ws/events") => new($"ws://{BaseAddress.Authority}/{path.TrimStart('/')}");

    /// <summary>Stops the app gracefully.</summary>
    public Task StopAsync() => App.StopAsync().WithTimeout(Timeouts.Long);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            await App.StopAsync().WithTimeout(Timeouts.Long);
        }
        finally
        {
            await App.DisposeAsync();
        }

        SecretScanner.AssertNone(_logs.Lines, $"The logs of the server at {BaseAddress}");
    }
}
