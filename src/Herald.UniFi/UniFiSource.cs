using System.Net.WebSockets;
using System.Security.Authentication;
using Herald.UniFi.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Herald.UniFi;

/// <summary>
/// A live connection to a UniFi Network controller's event WebSocket: logs in, keeps the connection alive,
/// reconnects with back-off after any failure, and hands the normalized WiFi events of each frame to a sink.
/// </summary>
/// <remarks>
/// <para>The controller's kind is detected once (unless configured). On the WebSocket handshake, a 401 or 403
/// means the session expired: the source logs in again and reconnects at once; when that happens right after a
/// fresh login it backs off instead. Invalid credentials and required 2FA stop the source; a rate-limited login
/// waits the longest back-off delay or the controller's <c>Retry-After</c>.</para>
/// <para>Frames larger than <see cref="UniFiParserOptions.DefaultMaxFrameBytes"/> are discarded as they arrive
/// and counted; invalid or unknown frames are skipped and counted (see <see cref="Statistics"/>). The controller
/// does not replay what it sent while the source was disconnected.</para>
/// </remarks>
public sealed class UniFiSource : IAsyncDisposable
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(1);

    private readonly UniFiControllerOptions _options;
    private readonly ILogger _logger;
    private readonly UniFiTls _tls;
    private readonly UniFiHttpSession _session;
    private readonly UniFiFrameParser _parser;
    private readonly CancellationTokenSource _disposing = new();
    private int _running;
    private int _disposed;
    private Task _run = Task.CompletedTask;
    private volatile UniFiSourceState _state = UniFiSourceState.Idle;

    /// <summary>Creates a source; nothing is contacted until <see cref="RunAsync"/>.</summary>
    /// <param name="options">The controller, credentials and timing; validated here and not to be changed afterwards.</param>
    /// <param name="logger">Where state changes and skipped frames are reported (event ids 5000-5199).</param>
    /// <exception cref="ArgumentException">An option is missing or out of range (<see cref="UniFiControllerOptions.Validate"/>).</exception>
    public UniFiSource(UniFiControllerOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _tls = new UniFiTls(options);
        _session = new UniFiHttpSession(options, _tls, _logger);
        _parser = new UniFiFrameParser(new UniFiParserOptions { Site = options.Site }, Statistics.Parser, _logger);
    }

    /// <summary>Raised on every change of <see cref="State"/>, on the source's own loop; handlers must be quick and must not throw.</summary>
    public event EventHandler<UniFiSourceStateChangedEventArgs>? StateChanged;

    /// <summary>The current state.</summary>
    public UniFiSourceState State => _state;

    /// <summary>The controller's kind, once configured or detected.</summary>
    public UniFiControllerKind? Kind => _session.Kind;

    /// <summary>Totals of frames, events, connections and failures.</summary>
    public UniFiSourceStatistics Statistics { get; } = new();

    /// <summary>
    /// Connects and streams until cancelled (then completes normally) or a fatal login error. Failures and
    /// dropped connections are retried forever with <see cref="UniFiControllerOptions.ReconnectDelay"/>.
    /// </summary>
    /// <param name="sink">
    /// Receives the events of each frame that has any, in order, one call at a time; the next frame is read once
    /// it completes. An exception from it is logged and counted (<see cref="UniFiSourceStatistics.SinkFailures"/>),
    /// those events are lost, and streaming goes on.
    /// </param>
    /// <param name="cancellationToken">Stops the source.</param>
    /// <exception cref="UniFiLoginException">The credentials are wrong or need 2FA (<see cref="UniFiLoginException.IsFatal"/>).</exception>
    /// <exception cref="InvalidOperationException">The source is already running.</exception>
    /// <exception cref="ObjectDisposedException">The source was disposed.</exception>
    public Task RunAsync(Func<IReadOnlyList<UniFiEvent>, CancellationToken, ValueTask> sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _running, 1) != 0)
        {
            throw new InvalidOperationException("The UniFi source is already running.");
        }

        _run = RunCoreAsync(sink, cancellationToken);
        return _run;
    }

    /// <summary>Stops the source if it runs and waits for it to finish; idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (UniFiLoginException)
        {
            // Already reported to the caller of RunAsync.
        }

        _session.Dispose();
        _disposing.Dispose();
    }

    private async Task RunCoreAsync(Func<IReadOnlyList<UniFiEvent>, CancellationToken, ValueTask> sink, CancellationToken cancellationToken)
    {
        await Task.Yield();
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        var ct = stopping.Token;
        try
        {
            await LoopAsync(sink, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            SetState(UniFiSourceState.Stopped, Volatile.Read(ref _disposed) != 0 ? "disposed" : "cancelled");
        }
        finally
        {
            Statistics.RecordDisconnected();
        }
    }

    private async Task LoopAsync(Func<IReadOnlyList<UniFiEvent>, CancellationToken, ValueTask> sink, CancellationToken ct)
    {
        var attempt = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            string reason;
            TimeSpan? delay = null;
            try
            {
                reason = await ConnectAndReadAsync(sink, () => attempt = 0, ct).ConfigureAwait(false);
            }
            catch (UniFiLoginException ex) when (ex.IsFatal)
            {
                Statistics.RecordError(ex.Message, DateTimeOffset.UtcNow);
                SourceLog.FatalLogin(_logger, ex.Reason, ex.Message);
                SetState(UniFiSourceState.Stopped, ex.Message);
                throw;
            }
            catch (UniFiLoginException ex) when (ex.Reason == UniFiLoginFailure.RateLimited)
            {
                reason = ex.Message;
                delay = ex.RetryAfter ?? _options.ReconnectDelay(int.MaxValue);
                SourceLog.RateLimited(_logger, delay.Value);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                reason = Describe(ex);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Stopping: whatever the connection attempt failed with on the way out is the stop, not an error.
                throw new OperationCanceledException("The UniFi source is stopping.", ex, ct);
            }

            Statistics.RecordDisconnected();
            attempt++;
            delay ??= _options.ReconnectDelay(attempt);
            if (delay < TimeSpan.Zero)
            {
                delay = TimeSpan.Zero;
            }

            Statistics.RecordError(reason, DateTimeOffset.UtcNow);
            Statistics.RecordReconnect();
            SourceLog.Reconnecting(_logger, delay.Value, attempt, reason);
            SetState(UniFiSourceState.Reconnecting, reason, delay);
            await Task.Delay(delay.Value, ct).ConfigureAwait(false);
        }
    }

    /// <summary>One connection: detect, log in if needed, open the socket, read until it ends.</summary>
    /// <returns>Why the connection ended without an exception (the controller closed it).</returns>
    private async Task<string> ConnectAndReadAsync(
        Func<IReadOnlyList<UniFiEvent>, CancellationToken, ValueTask> sink, Action onConnected, CancellationToken ct)
    {
        SetState(UniFiSourceState.Connecting);
        SourceLog.Connecting(_logger, _options.Controller.GetLeftPart(UriPartial.Authority), _options.Site);
        await _session.DetectKindAsync(ct).ConfigureAwait(false);
        var freshLogin = false;
        if (!_session.IsLoggedIn)
        {
            await LoginAsync(ct).ConfigureAwait(false);
            freshLogin = true;
        }

        ClientWebSocket socket;
        try
        {
            socket = await OpenSocketAsync(ct).ConfigureAwait(false);
        }
        catch (UniFiHandshakeException ex) when (ex.IsSessionRefused && !freshLogin)
        {
            SourceLog.SessionExpired(_logger, ex.StatusCode, "WebSocket handshake");
            _session.Invalidate();
            await LoginAsync(ct).ConfigureAwait(false);
            socket = await OpenSocketAsync(ct).ConfigureAwait(false);
        }

        using (socket)
        {
            Statistics.RecordConnected(DateTimeOffset.UtcNow);
            onConnected();
            SourceLog.Connected(_logger, _options.Site);
            SetState(UniFiSourceState.Connected);
            try
            {
                return await ReadAsync(socket, sink, ct).ConfigureAwait(false);
            }
            finally
            {
                await CloseQuietlyAsync(socket).ConfigureAwait(false);
            }
        }
    }

    private async Task LoginAsync(CancellationToken ct)
    {
        SetState(UniFiSourceState.LoggingIn);
        await _session.LoginAsync(ct).ConfigureAwait(false);
        Statistics.RecordLogin();
    }

    private async Task<ClientWebSocket> OpenSocketAsync(CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        try
        {
            var options = socket.Options;
            options.CollectHttpResponseDetails = true;
            options.KeepAliveInterval = _options.KeepAliveInterval;
            options.KeepAliveTimeout = _options.KeepAliveTimeout == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : _options.KeepAliveTimeout;
            options.RemoteCertificateValidationCallback = _tls.Validate;
            _session.ApplyTo(options);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(_options.RequestTimeout);
            try
            {
                await socket.ConnectAsync(_session.EventsUri, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"The WebSocket handshake took longer than {_options.RequestTimeout} (RequestTimeout).");
            }
            catch (WebSocketException ex) when (socket.HttpStatusCode != 0 && (int)socket.HttpStatusCode != 101)
            {
                var status = (int)socket.HttpStatusCode;
                throw new UniFiHandshakeException(
                    status,
                    $"The controller refused the WebSocket for site '{_options.Site}' with HTTP {status}" + (status switch
                    {
                        401 or 403 => "; the session was refused (check that the account may view the site).",
                        404 => "; check the site's short name and the controller kind.",
                        _ => ".",
                    }),
                    ex);
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<string> ReadAsync(ClientWebSocket socket, Func<IReadOnlyList<UniFiEvent>, CancellationToken, ValueTask> sink, CancellationToken ct)
    {
        using var reader = new UniFiSocketReader(socket, _parser.MaxFrameBytes, _options.SilenceTimeout);
        while (true)
        {
            switch (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                case SocketMessageKind.Closed:
                    return $"the controller closed the connection ({reader.CloseStatus?.ToString() ?? "no status"}{(string.IsNullOrEmpty(reader.CloseStatusDescription) ? "" : ": " + reader.CloseStatusDescription)})";
                case SocketMessageKind.Oversized:
                    _parser.RejectOversized(reader.OversizedLength);
                    break;
                default:
                    var events = _parser.Parse(reader.Frame.Span, DateTimeOffset.UtcNow).Events;
                    if (events.Count > 0)
                    {
                        await DeliverAsync(sink, events, ct).ConfigureAwait(false);
                    }

                    break;
            }
        }
    }

    private async ValueTask DeliverAsync(Func<IReadOnlyList<UniFiEvent>, CancellationToken, ValueTask> sink, IReadOnlyList<UniFiEvent> events, CancellationToken ct)
    {
        try
        {
            await sink(events, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && ct.IsCancellationRequested))
        {
            Statistics.RecordSinkFailure();
            SourceLog.SinkFailed(_logger, ex, events.Count);
        }
    }

    private static async Task CloseQuietlyAsync(ClientWebSocket socket)
    {
        if (socket.State != WebSocketState.Open)
        {
            socket.Abort();
            return;
        }

        using var timeout = new CancellationTokenSource(CloseTimeout);
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Abort();
        }
    }

    private string Describe(Exception ex)
    {
        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException)
            {
                var description = $"the controller's TLS certificate was refused: {_tls.LastRefusal ?? inner.Message}";
                SourceLog.CertificateRefused(_logger, description);
                return description;
            }
        }

        return ex switch
        {
            UniFiLoginException or UniFiHandshakeException or TimeoutException => ex.Message,
            TaskCanceledException => $"the controller did not answer within {_options.RequestTimeout} (RequestTimeout)",
            WebSocketException or HttpRequestException => $"{ex.Message}{(ex.InnerException is { } cause ? " (" + cause.Message + ")" : "")}",
            _ => $"{ex.GetType().Name}: {ex.Message}",
        };
    }

    private void SetState(UniFiSourceState state, string? reason = null, TimeSpan? delay = null)
    {
        _state = state;
        if (state == UniFiSourceState.Stopped)
        {
            SourceLog.Stopped(_logger, reason ?? "stopped");
        }

        StateChanged?.Invoke(this, new UniFiSourceStateChangedEventArgs(state, reason, delay));
    }
}
