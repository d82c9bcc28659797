using System.Diagnostics.Metrics;
using Herald.JetStream.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Herald.JetStream;

/// <summary>
/// One Herald node's connection to NATS, shared by its event store, session store and cluster bus. It opens on first
/// use (retrying until <see cref="JetStreamOptions.ConnectTimeout"/>), reconnects by itself when a server goes away,
/// and closes when disposed.
/// </summary>
public sealed class JetStreamConnection : IAsyncDisposable
{
    private readonly SemaphoreSlim _opening = new(1, 1);
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _opened;
    private int _opens;

    /// <summary>Creates the connection; nothing is sent until the first store or bus initializes.</summary>
    /// <param name="options">Where NATS is and how to authenticate; checked here.</param>
    /// <param name="nodeId">This node's id, used in the connection's name as the servers show it.</param>
    /// <param name="loggerFactory">Where Herald logs the connection's life; <see langword="null"/> logs nothing.</param>
    /// <param name="meterFactory">
    /// Where to report <c>herald.nats.connected</c> (1 while connected, 0 while reconnecting) on the <c>Herald</c> meter;
    /// <see langword="null"/> reports nothing.
    /// </param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public JetStreamConnection(JetStreamOptions options, string nodeId, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
    {
        JetStreamOptionsValidator.ThrowIfInvalid(options);
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        Options = options;
        NodeId = nodeId;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<JetStreamConnection>();
        Connection = new NatsConnection(new NatsOpts
        {
            Url = options.Url,
            Name = "herald-" + nodeId,
            AuthOpts = new NatsAuthOpts
            {
                Username = options.User,
                Password = options.Password,
                Token = options.Token,
                CredsFile = options.CredsFile,
                NKeyFile = options.NKeyFile,
            },
            TlsOpts = new NatsTlsOpts
            {
                CaFile = options.TlsCaFile,
                CertFile = options.TlsCertFile,
                KeyFile = options.TlsKeyFile,
            },
            // Herald logs the connection's life itself (once per change); the client would log every failed attempt with a stack.
            LoggerFactory = NullLoggerFactory.Instance,
            RetryOnInitialConnect = true,

            // A publish to a server that is gone must fail at once (the producer gets 503), not wait in the client's buffer.
            PublishTimeoutOnDisconnected = true,
            ReconnectWaitMin = TimeSpan.FromMilliseconds(250),
            ReconnectWaitMax = TimeSpan.FromSeconds(2),
            PingInterval = TimeSpan.FromSeconds(10),
        });
        JetStream = new NatsJSContext(Connection);
        meterFactory?.Create(HeraldTelemetry.MeterName).CreateObservableGauge(
            "herald.nats.connected",
            () => new Measurement<int>(IsConnected ? 1 : 0, new KeyValuePair<string, object?>("node", nodeId)),
            null,
            "1 while this node is connected to a NATS server, 0 while it reconnects (publishes then fail with 503).");
        Connection.ConnectionDisconnected += (_, _) =>
        {
            Log.NatsDisconnected(_logger);
            return ValueTask.CompletedTask;
        };
        Connection.ConnectionOpened += (_, _) =>
        {
            if (Interlocked.Increment(ref _opens) > 1)
            {
                Log.NatsReconnected(_logger, Connection.ServerInfo?.Name ?? "?");
            }

            _open.TrySetResult();
            return ValueTask.CompletedTask;
        };
    }

    /// <summary>The settings this connection was made with.</summary>
    public JetStreamOptions Options { get; }

    /// <summary>This node's id.</summary>
    public string NodeId { get; }

    /// <summary>Whether the connection is open now (false while reconnecting).</summary>
    public bool IsConnected => Connection.ConnectionState == NatsConnectionState.Open;

    /// <summary>The NATS server this node is connected to, or <see langword="null"/> while it is not.</summary>
    public string? ServerName => IsConnected ? Connection.ServerInfo?.Name : null;

    internal NatsConnection Connection { get; }

    internal NatsJSContext JetStream { get; }

    /// <summary>Opens the connection if it is not open yet; later calls return at once.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="EventStoreUnavailableException">NATS did not answer within <see cref="JetStreamOptions.ConnectTimeout"/>.</exception>
    public async ValueTask OpenAsync(CancellationToken cancellationToken)
    {
        if (_opened)
        {
            return;
        }

        await _opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_opened)
            {
                return;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Options.ConnectTimeout);
            try
            {
                // With retries on the first connect the client may return before it is connected: wait for it.
                await Connection.ConnectAsync().AsTask().WaitAsync(timeout.Token).ConfigureAwait(false);
                if (Connection.ConnectionState != NatsConnectionState.Open)
                {
                    await _open.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new EventStoreUnavailableException($"No NATS server at {Redacted(Options.Url)} answered within {Options.ConnectTimeout.TotalSeconds:0.#} s (Herald:Nats:ConnectTimeout).", ex);
            }
            catch (NatsException ex)
            {
                throw new EventStoreUnavailableException($"Cannot connect to NATS at {Redacted(Options.Url)}: {ex.Message}", ex);
            }

            _opened = true;
            Log.NatsConnected(_logger, Connection.ServerInfo?.Name ?? "?", Connection.ServerInfo?.Version ?? "?");
        }
        finally
        {
            _opening.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync().ConfigureAwait(false);
        _opening.Dispose();
    }

    /// <summary>The URLs without any user information they may carry (<c>nats://user:pass@host</c>).</summary>
    internal static string Redacted(string urls)
        => string.Join(',', urls.Split(',').Select(url => Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? url.Trim().Replace(uri.UserInfo + "@", "***@", StringComparison.Ordinal)
            : url.Trim()));
}
