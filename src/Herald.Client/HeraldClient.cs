using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Herald.Client.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Herald.Client;

/// <summary>
/// A client for a Herald server: live events over the WebSocket with exact resume across reconnects,
/// direct messages, and publishing over HTTP.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="ConnectAsync"/> (or <see cref="RunAsync"/>) starts a loop that connects, answers the server's
/// pings, and reconnects on its own with exponential back-off and jitter whenever the socket drops or the
/// server goes silent for <see cref="HeraldClientOptions.DeadServerTimeout"/>. Each reconnect resumes from
/// the last event the client delivered (<c>since</c>, with the session and resume token of the last
/// <c>welcome</c>), and any event with an id at or below it is dropped, so consumers see every event once,
/// in id order.
/// </para>
/// <para>
/// Events are delivered to <see cref="OnEvent"/> handlers (on the receive loop; keep them short) and to a
/// buffer read by <see cref="ReadEventsAsync"/> or <see cref="Drain"/>; use one of those two readers.
/// Direct messages go to <see cref="OnMessage"/> and <see cref="ReadMessagesAsync"/>/<see cref="DrainMessages"/>.
/// </para>
/// </remarks>
public sealed partial class HeraldClient : IAsyncDisposable
{
    private const long UnknownPosition = -1;
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    private readonly HeraldClientOptions _options;
    private readonly ILogger _logger;
    private readonly ServerEndpoints[] _servers;
    private int _server;
    private readonly ReconnectPolicy _policy;
    private readonly BoundedBuffer<ClientEvent> _events;
    private readonly BoundedBuffer<JsonElement> _messages;
    private readonly SocketsHttpHandler _handler;
    private readonly HttpMessageInvoker _invoker;
    private readonly HttpClient _http;
    private readonly string? _pinnedThumbprint;
    private readonly CancellationTokenSource _disposing = new();
    private readonly Lock _sync = new();
    private readonly List<string> _topics = [];
    private readonly PendingRequests _pending = new();
    private TaskCompletionSource _connected = NewSignal();
    private TaskCompletionSource? _runCompleted;
    private ServerConnection? _current;
    private HeraldConnectionState _state = HeraldConnectionState.Closed;
    private Exception? _lastError;
    private string? _closeReason;
    private string? _sessionId;
    private string? _resumeToken;
    private string? _connectionId;
    private long _position;
    private int _disposed;

    /// <summary>Creates a client; nothing connects until <see cref="ConnectAsync"/> or <see cref="RunAsync"/>.</summary>
    /// <param name="options">The settings; validated here.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public HeraldClient(HeraldClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = options.Logger ?? NullLogger.Instance;
        _servers = [.. options.ServerUris.Prepend(options.ServerUri).Select(uri => new ServerEndpoints(uri))];
        _policy = new ReconnectPolicy(options.ReconnectMinDelay, options.ReconnectMaxDelay, options.ReconnectJitter, options.MaxReconnectAttempts);
        _events = new BoundedBuffer<ClientEvent>(options.BufferCapacity);
        _messages = new BoundedBuffer<JsonElement>(options.BufferCapacity);
        _pinnedThumbprint = options.PinnedCertificateThumbprint is { } pin ? HeraldClientOptions.NormalizeThumbprint(pin) : null;
        _position = options.Since ?? UnknownPosition;
        foreach (var topic in options.Topics.Count == 0 ? ["#"] : options.Topics)
        {
            AddTopic(topic);
        }

        _handler = new SocketsHttpHandler
        {
            UseCookies = false,
            ConnectTimeout = options.DeadServerTimeout ?? HeraldClientOptions.DefaultConnectTimeout,
        };
        _handler.SslOptions.RemoteCertificateValidationCallback = ValidateServerCertificate;
        _invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
        _http = new HttpClient(_handler, disposeHandler: false) { Timeout = options.HttpTimeout };
    }

    /// <summary>Raised for each event delivered, in id order, on the receive loop. Handler exceptions are logged and ignored.</summary>
    public event EventHandler<ClientEvent>? OnEvent;

    /// <summary>Raised for each direct message (the <c>data</c> of a <c>message</c> frame). Handler exceptions are logged and ignored.</summary>
    public event EventHandler<JsonElement>? OnMessage;

    /// <summary>Raised when <see cref="State"/> changes. Handler exceptions are logged and ignored.</summary>
    public event EventHandler<HeraldConnectionState>? StateChanged;

    /// <summary>
    /// Raised when a resume could not replay everything after the last delivered event because the server's
    /// retention dropped part of it, or its store is behind the client's last event (<c>resumed.complete == false</c>):
    /// reload your state. The client then carries on from the server's last id.
    /// </summary>
    public event EventHandler<ResumeIncompleteEventArgs>? ResumeIncomplete;

    /// <summary>The settings.</summary>
    public HeraldClientOptions Options => _options;

    /// <summary>The connection state.</summary>
    public HeraldConnectionState State
    {
        get
        {
            lock (_sync)
            {
                return _state;
            }
        }
    }

    /// <summary>The session of the last <c>welcome</c>, or the configured one before it.</summary>
    public string? SessionId
    {
        get
        {
            lock (_sync)
            {
                return _sessionId ?? _options.SessionId;
            }
        }
    }

    /// <summary>The server's id for the current connection, null while disconnected.</summary>
    public string? ConnectionId
    {
        get
        {
            lock (_sync)
            {
                return _connectionId;
            }
        }
    }

    /// <summary>The id of the last event delivered (or the start position); 0 before any is known.</summary>
    public long LastEventId => Math.Max(0, Interlocked.Read(ref _position));

    /// <summary>How many events were dropped (oldest first) because the event buffer was full.</summary>
    public long DroppedCount => _events.Dropped;

    /// <summary>How many events are buffered, waiting for <see cref="ReadEventsAsync"/> or <see cref="Drain"/>.</summary>
    public int BufferedCount => _events.Count;

    /// <summary>The last connection error, if the last attempt failed.</summary>
    public Exception? LastError => Volatile.Read(ref _lastError);

    /// <summary>
    /// Why the connection loop ended, for example "gave up after 3 failed reconnect attempts" or "the client was
    /// stopped"; set before the state turns <see cref="HeraldConnectionState.Closed"/>. Null until the loop has
    /// ended, and again while it runs.
    /// </summary>
    public string? CloseReason => Volatile.Read(ref _closeReason);

    /// <summary>The current topic patterns (what a reconnect subscribes to).</summary>
    public IReadOnlyList<string> Topics
    {
        get
        {
            lock (_sync)
            {
                return [.. _topics];
            }
        }
    }

    /// <summary>
    /// Starts the connection loop in the background (unless it runs already) and waits until the client is
    /// connected. While it waits the loop keeps retrying with back-off.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting (the loop keeps running; dispose the client to stop it).</param>
    /// <exception cref="HeraldClientException">The loop gave up (<see cref="HeraldClientOptions.MaxReconnectAttempts"/>) or the session was taken over.</exception>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        Task connected;
        lock (_sync)
        {
            if (_runCompleted is null)
            {
                var completed = BeginRun();
                _ = Task.Run(() => RunCoreAsync(completed, _disposing.Token), CancellationToken.None);
            }

            connected = _connected.Task;
        }

        await connected.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the connection loop until <paramref name="cancellationToken"/> is cancelled, the client is disposed,
    /// the reconnect attempts run out, or the session is taken over; then the state is <see cref="HeraldConnectionState.Closed"/>.
    /// </summary>
    /// <param name="cancellationToken">Stops the loop; the socket is closed gracefully.</param>
    /// <exception cref="InvalidOperationException">The loop already runs.</exception>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        TaskCompletionSource completed;
        lock (_sync)
        {
            if (_runCompleted is not null)
            {
                throw new InvalidOperationException("The client's connection loop is already running.");
            }

            completed = BeginRun();
        }

        return RunCoreAsync(completed, cancellationToken);
    }

    /// <summary>Resets what one run of the connection loop reports; the caller holds <c>_sync</c>.</summary>
    private TaskCompletionSource BeginRun()
    {
        _connected = NewSignal();
        _runCompleted = NewSignal();
        _closeReason = null;
        return _runCompleted;
    }

    /// <summary>Delivered events in id order, waiting for more until <paramref name="cancellationToken"/> is cancelled or the client is disposed.</summary>
    /// <param name="cancellationToken">Ends the enumeration.</param>
    public async IAsyncEnumerable<ClientEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await _events.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_events.TryTake(out var e))
            {
                yield return e;
            }
        }
    }

    /// <summary>Removes and returns every buffered event, oldest first; never waits. For synchronous hosts that poll.</summary>
    public IReadOnlyList<ClientEvent> Drain() => _events.Drain();

    /// <summary>Direct messages in arrival order, waiting for more until <paramref name="cancellationToken"/> is cancelled or the client is disposed.</summary>
    /// <param name="cancellationToken">Ends the enumeration.</param>
    public async IAsyncEnumerable<JsonElement> ReadMessagesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await _messages.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_messages.TryTake(out var message))
            {
                yield return message;
            }
        }
    }

    /// <summary>Removes and returns every buffered direct message; never waits.</summary>
    public IReadOnlyList<JsonElement> DrainMessages() => _messages.Drain();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        Task? run;
        lock (_sync)
        {
            run = _runCompleted?.Task;
        }

        if (run is not null)
        {
            try
            {
                await run.WaitAsync(CloseTimeout + CloseTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The loop is stuck in user code; it has been cancelled and ends on its own.
            }
        }

        ReleaseResources();
    }

    /// <summary>Releases everything once the loop has stopped (the background facade joins the thread first).</summary>
    internal void DisposeAfterStop()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _disposing.Cancel();
        ReleaseResources();
    }

    private void ReleaseResources()
    {
        _events.Complete();
        _messages.Complete();
        _http.Dispose();
        _invoker.Dispose();
        _handler.Dispose();
    }

    private bool ValidateServerCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_pinnedThumbprint is not null)
        {
            return certificate is not null
                && string.Equals(certificate.GetCertHashString(HashAlgorithmName.SHA256), _pinnedThumbprint, StringComparison.OrdinalIgnoreCase);
        }

        return _options.AcceptAnyServerCertificate || errors == SslPolicyErrors.None;
    }

    private void SetState(HeraldConnectionState state)
    {
        HeraldConnectionState previous;
        lock (_sync)
        {
            previous = _state;
            if (previous == state)
            {
                return;
            }

            _state = state;
        }

        Log.StateChanged(_logger, previous, state);
        Raise(StateChanged, state, nameof(StateChanged));
    }

    private void Raise<T>(EventHandler<T>? handler, T args, string name)
    {
        if (handler is null)
        {
            return;
        }

        try
        {
            handler(this, args);
        }
        catch (Exception ex)
        {
            Log.CallbackFailed(_logger, ex, name);
        }
    }

    private bool AddTopic(string topic)
    {
        lock (_sync)
        {
            if (_topics.Contains(topic, StringComparer.Ordinal))
            {
                return false;
            }

            _topics.Add(topic);
            return true;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
