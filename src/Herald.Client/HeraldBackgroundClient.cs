namespace Herald.Client;

/// <summary>
/// A <see cref="HeraldClient"/> for synchronous hosts: <see cref="Start"/> runs the client on its own
/// dedicated thread with its own event loop (a <see cref="BackgroundRunner"/>), <see cref="Drain"/> takes
/// the events received so far from any thread, and <see cref="Stop"/> closes the socket and joins the thread.
/// </summary>
public sealed class HeraldBackgroundClient : IDisposable
{
    private readonly BackgroundRunner _runner;

    /// <summary>Creates the client; nothing runs until <see cref="Start"/>.</summary>
    /// <param name="options">The client's settings; validated here.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public HeraldBackgroundClient(HeraldClientOptions options)
    {
        Client = new HeraldClient(options);
        _runner = new BackgroundRunner("herald-client", options.Logger, new ReconnectPolicy(options.ReconnectMinDelay, options.ReconnectMaxDelay, options.ReconnectJitter));
    }

    /// <summary>The client, for its events, state and publishing.</summary>
    public HeraldClient Client { get; }

    /// <summary>True only while the thread is alive AND the socket is connected.</summary>
    public bool IsRunning => _runner.IsRunning && Client.State == HeraldConnectionState.Connected;

    /// <summary>How many events were dropped (oldest first) because nobody drained them in time.</summary>
    public long DroppedCount => Client.DroppedCount;

    /// <summary>Starts the client's loop on its own thread; it connects and reconnects on its own.</summary>
    /// <exception cref="InvalidOperationException">It is already running.</exception>
    public void Start() => _runner.Start(Client.RunAsync);

    /// <summary>Removes and returns every event received so far, oldest first; never waits. Safe from any thread.</summary>
    public IReadOnlyList<ClientEvent> Drain() => Client.Drain();

    /// <summary>Closes the socket gracefully and waits up to <paramref name="timeout"/> for the thread to end.</summary>
    /// <param name="timeout">How long to wait for the thread.</param>
    /// <returns>True if the thread has ended.</returns>
    public bool Stop(TimeSpan timeout) => _runner.Stop(timeout);

    /// <summary>Stops (waiting up to 5 seconds) and releases the client.</summary>
    public void Dispose()
    {
        _runner.Dispose();
        Client.DisposeAfterStop();
    }
}
