using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Threading.Channels;
using Herald.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Herald.UniFi.Tests.FakeController;

/// <summary>
/// A UniFi controller on loopback over HTTPS with a self-signed certificate, in either flavour: kind detection
/// at <c>GET /</c>, login with cookies and CSRF, session expiry, an API endpoint, and the events WebSocket.
/// Requests without the right cookie and CSRF token get 401.
/// </summary>
internal sealed class FakeUniFiController : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, FakeSession> _sessions = new(StringComparer.Ordinal);
    private readonly Channel<FakeConnection> _connections = Channel.CreateUnbounded<FakeConnection>();
    private readonly ConcurrentQueue<DateTimeOffset> _logins = new();
    private readonly ConcurrentQueue<int> _handshakeStatuses = new();
    private int _rootRequests;
    private int _acceptedSockets;
    private int _apiRequests;

    private FakeUniFiController(WebApplication app, FakeControllerSettings settings, X509Certificate2 certificate)
    {
        _app = app;
        Settings = settings;
        Certificate = certificate;
    }

    public FakeControllerSettings Settings { get; }

    public X509Certificate2 Certificate { get; }

    /// <summary><c>https://127.0.0.1:PORT/</c>, or with a 8443-style classic controller the same.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Login attempts, whatever their outcome, with their times.</summary>
    public IReadOnlyList<DateTimeOffset> LoginTimes => [.. _logins];

    public int LoginAttempts => _logins.Count;

    public int RootRequests => Volatile.Read(ref _rootRequests);

    public int ApiRequests => Volatile.Read(ref _apiRequests);

    /// <summary>The status of every WebSocket handshake: 101 when accepted.</summary>
    public IReadOnlyList<int> HandshakeStatuses => [.. _handshakeStatuses];

    /// <summary>The CSRF token the live sessions expect (the latest login's).</summary>
    public IReadOnlyList<string> CurrentCsrfTokens => [.. _sessions.Values.Select(s => s.Csrf)];

    public static async Task<FakeUniFiController> StartAsync(FakeControllerSettings? settings = null, X509Certificate2? certificate = null)
    {
        settings ??= new FakeControllerSettings();
        SecretScanner.Register(settings.Password);
        certificate ??= TestCertificates.Shared;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        var fake = new FakeUniFiController(app, settings, certificate);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Run(fake.HandleAsync);
        await app.StartAsync().WithTimeout();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return fake;
    }

    /// <summary>Options for a source pointed at this fake: its credentials, its certificate pinned, fast timing.</summary>
    public UniFiControllerOptions Options(Action<UniFiControllerOptions>? configure = null)
    {
        var options = new UniFiControllerOptions
        {
            Controller = BaseAddress,
            Username = Settings.Username,
            Password = Settings.Password,
            PinnedCertificateSha256 = TestCertificates.Sha256(Certificate),
            KeepAliveInterval = TimeSpan.FromMilliseconds(200),
            KeepAliveTimeout = TimeSpan.FromSeconds(1),
            ReconnectDelay = _ => TimeSpan.FromMilliseconds(20),
            RequestTimeout = TimeSpan.FromSeconds(5),
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>The next socket accepted (in order of acceptance).</summary>
    public async Task<FakeConnection> NextConnectionAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeouts.Default);
        try
        {
            return await _connections.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("The source did not open a WebSocket in time.");
        }
    }

    /// <summary>Ends every session now, as if its token had expired; open sockets stay open.</summary>
    public void ExpireSessions() => _sessions.Clear();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync().WithTimeout(Timeouts.Long);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }

    private bool IsUniFiOs => Settings.Kind == UniFiControllerKind.UniFiOs;

    private string LoginPath => IsUniFiOs ? "/api/auth/login" : "/api/login";

    private string ApiPrefix => IsUniFiOs ? "/proxy/network" : "";

    private string SessionCookie => IsUniFiOs ? "TOKEN" : "unifises";

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        if (Settings.RejectOrigin && request.Headers.ContainsKey("Origin"))
        {
            if (path.Contains("/wss/", StringComparison.Ordinal))
            {
                _handshakeStatuses.Enqueue(403);
            }

            context.Response.StatusCode = 403;
            return;
        }

        if (path == "/" && HttpMethods.IsGet(request.Method))
        {
            Interlocked.Increment(ref _rootRequests);
            if (Settings.RootStatus is { } status)
            {
                context.Response.StatusCode = status;
            }
            else if (IsUniFiOs)
            {
                await context.Response.WriteAsync("<html><body>UniFi OS</body></html>");
            }
            else
            {
                context.Response.Redirect("/manage");
            }

            return;
        }

        if (path == LoginPath && HttpMethods.IsPost(request.Method))
        {
            await LoginAsync(context);
            return;
        }

        if (path == ApiPrefix + "/api/self" && HttpMethods.IsGet(request.Method))
        {
            Interlocked.Increment(ref _apiRequests);
            if (Authorize(context) is not { } session)
            {
                await ErrorAsync(context, 401, "api.err.LoginRequired");
                return;
            }

            if (Settings.RotateCsrf)
            {
                session.Csrf = Guid.NewGuid().ToString("N");
                context.Response.Headers["X-Updated-Csrf-Token"] = session.Csrf;
            }

            await context.Response.WriteAsync("""{"meta":{"rc":"ok"},"data":[{"name":"herald"}]}""");
            return;
        }

        if (path == $"{ApiPrefix}/wss/s/default/events" || path.StartsWith($"{ApiPrefix}/wss/s/", StringComparison.Ordinal) && path.EndsWith("/events", StringComparison.Ordinal))
        {
            await EventsAsync(context);
            return;
        }

        context.Response.StatusCode = 404;
    }

    private async Task LoginAsync(HttpContext context)
    {
        _logins.Enqueue(DateTimeOffset.UtcNow);
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var root = body.RootElement;
        var username = root.TryGetProperty("username", out var u) ? u.GetString() : null;
        var password = root.TryGetProperty("password", out var p) ? p.GetString() : null;
        var rememberMe = root.TryGetProperty("rememberMe", out var r) && r.ValueKind == JsonValueKind.True;

        if (Settings.RateLimitedLogins > 0)
        {
            Settings.RateLimitedLogins--;
            if (Settings.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await ErrorAsync(context, 429, "api.err.TooManyRequests");
            return;
        }

        if (username != Settings.Username || password != Settings.Password || !rememberMe)
        {
            await ErrorAsync(context, IsUniFiOs ? 401 : 400, "api.err.Invalid");
            return;
        }

        switch (Settings.TwoFactor)
        {
            case TwoFactorMode.Status499:
                context.Response.StatusCode = 499;
                await context.Response.WriteAsync("""{"code":"MFA_AUTH_REQUIRED","message":"MFA Required"}""");
                return;
            case TwoFactorMode.ErrorMessage:
                await ErrorAsync(context, 400, "api.err.Ubic2faTokenRequired");
                return;
        }

        var session = new FakeSession(Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow + Settings.TokenLifetime);
        _sessions[session.Token] = session;
        var cookie = new CookieOptions { Path = "/", Secure = true, HttpOnly = true, SameSite = SameSiteMode.None };
        context.Response.Cookies.Append(SessionCookie, session.Token, cookie);
        if (IsUniFiOs)
        {
            context.Response.Headers["x-csrf-token"] = session.Csrf;
            await context.Response.WriteAsync($$"""{"unique_id":"1","username":"{{username}}"}""");
        }
        else
        {
            context.Response.Cookies.Append("csrf_token", session.Csrf, new CookieOptions { Path = "/", Secure = true });
            await context.Response.WriteAsync("""{"meta":{"rc":"ok"},"data":[]}""");
        }
    }

    private async Task EventsAsync(HttpContext context)
    {
        if (Authorize(context) is null)
        {
            _handshakeStatuses.Enqueue(401);
            await ErrorAsync(context, 401, "api.err.LoginRequired");
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        _handshakeStatuses.Enqueue(101);
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var silent = false;
        lock (Settings)
        {
            if (Settings.SilentConnections > 0)
            {
                Settings.SilentConnections--;
                silent = true;
            }
        }

        var connection = new FakeConnection(socket, context, silent, Settings.DropAfterFrames, Interlocked.Increment(ref _acceptedSockets));
        _connections.Writer.TryWrite(connection);
        await connection.RunAsync();
    }

    /// <summary>The live session the request's cookie names, if its CSRF header matches.</summary>
    private FakeSession? Authorize(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(SessionCookie, out var token)
            || !_sessions.TryGetValue(token, out var session)
            || session.ExpiresAt <= DateTimeOffset.UtcNow)
        {
            return null;
        }

        return context.Request.Headers["X-Csrf-Token"].ToString() == session.Csrf ? session : null;
    }

    private static async Task ErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($$"""{"meta":{"rc":"error","msg":"{{message}}"},"data":[]}""");
    }
}
