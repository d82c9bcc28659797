using Herald.Client.Internal;
using Herald.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Herald.Client;

/// <summary>
/// Runs an async loop on its own dedicated thread with its own event loop, for hosts that are not async
/// (a synchronous plugin, a polling main loop). <see cref="Start"/> starts the thread; <see cref="Stop"/>
/// cancels the loop and joins the thread. A loop that throws is logged and restarted after an
/// exponential back-off (<see cref="RestartPolicy"/>); it is never lost silently. A loop that returns
/// normally ends the runner.
/// </summary>
/// <remarks>
/// The thread installs a single-threaded synchronization context and pumps it until the loop's task
/// completes, so the loop's own continuations run on that thread like an asyncio loop in a thread:
/// the loop never needs a thread-pool thread to make progress on its own code, a busy or starved host
/// pool cannot stall it, and a loop that blocks only blocks its own thread. The thread never waits on
/// the task with <c>Wait()</c>; it pumps continuations until the task is done. Do not block inside the
/// loop on async work that must resume on the loop's thread (that deadlocks, as on any UI thread).
/// </remarks>
public sealed class BackgroundRunner : IDisposable
{
    private readonly ILogger _logger;
    private readonly Lock _sync = new();
    private Thread? _thread;
    private CancellationTokenSource? _stopping;
    private Exception? _lastError;
    private int _crashes;

    /// <summary>Creates a runner.</summary>
    /// <param name="name">The thread's name, also used in logs.</param>
    /// <param name="logger">Where crashes are logged; none by default.</param>
    /// <param name="restartPolicy">The back-off between restarts after a crash; default 1 s doubling to 30 s with 20% jitter, forever.</param>
    public BackgroundRunner(string name, ILogger? logger = null, ReconnectPolicy? restartPolicy = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        _logger = logger ?? NullLogger.Instance;
        RestartPolicy = restartPolicy ?? new ReconnectPolicy();
    }

    /// <summary>The thread's name.</summary>
    public string Name { get; }

    /// <summary>The back-off between restarts after a crash. It is reset when a run lasted longer than its <see cref="ReconnectPolicy.MaxDelay"/>.</summary>
    public ReconnectPolicy RestartPolicy { get; }

    /// <summary>Whether the thread is alive (the loop is running or waiting to be restarted).</summary>
    public bool IsRunning
    {
        get
        {
            lock (_sync)
            {
                return _thread is { IsAlive: true };
            }
        }
    }

    /// <summary>How many times the loop threw.</summary>
    public int Crashes => Volatile.Read(ref _crashes);

    /// <summary>The last exception the loop threw, if any.</summary>
    public Exception? LastError => Volatile.Read(ref _lastError);

    /// <summary>Starts <paramref name="loop"/> on a new dedicated background thread.</summary>
    /// <param name="loop">The loop; it should run until its token is cancelled.</param>
    /// <exception cref="InvalidOperationException">The runner is already running.</exception>
    public void Start(Func<CancellationToken, Task> loop)
    {
        ArgumentNullException.ThrowIfNull(loop);
        lock (_sync)
        {
            if (_thread is { IsAlive: true })
            {
                throw new InvalidOperationException($"Background runner '{Name}' is already running.");
            }

            _stopping?.Dispose();
            _stopping = new CancellationTokenSource();
            var token = _stopping.Token;
            _thread = new Thread(() => ThreadMain(loop, token))
            {
                IsBackground = true,
                Name = Name,
            };
            _thread.Start();
        }
    }

    /// <summary>Cancels the loop and waits up to <paramref name="timeout"/> for its thread to end.</summary>
    /// <param name="timeout">How long to wait for the thread.</param>
    /// <returns>True if the thread has ended (or never ran); false if it is still running after the timeout.</returns>
    public bool Stop(TimeSpan timeout)
    {
        Thread? thread;
        lock (_sync)
        {
            thread = _thread;
            _stopping?.Cancel();
        }

        if (thread is null)
        {
            return true;
        }

        if (thread == Thread.CurrentThread)
        {
            // Called from inside the loop: it is cancelled and will end once it returns.
            return false;
        }

        var ended = thread.Join(timeout);
        if (!ended)
        {
            Log.RunnerStopTimedOut(_logger, Name, timeout);
        }

        return ended;
    }

    /// <summary>Stops the loop, waiting up to 5 seconds.</summary>
    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(5));
        lock (_sync)
        {
            if (_thread is not { IsAlive: true })
            {
                _stopping?.Dispose();
                _stopping = null;
            }
        }
    }

    private void ThreadMain(Func<CancellationToken, Task> loop, CancellationToken token)
    {
        Log.RunnerStarted(_logger, Name);
        while (!token.IsCancellationRequested)
        {
            var started = Environment.TickCount64;
            try
            {
                LoopThread.RunOnCurrentThread(() => loop(token));
                if (!token.IsCancellationRequested)
                {
                    Log.RunnerLoopReturned(_logger, Name);
                }

                break;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                Interlocked.Increment(ref _crashes);
                Volatile.Write(ref _lastError, ex);
                if (TimeSpan.FromMilliseconds(Environment.TickCount64 - started) > RestartPolicy.MaxDelay)
                {
                    RestartPolicy.Reset();
                }

                if (!RestartPolicy.CanRetry)
                {
                    Log.RunnerGaveUp(_logger, ex, Name, RestartPolicy.Attempts);
                    break;
                }

                var delay = RestartPolicy.NextDelay();
                Log.RunnerCrashed(_logger, ex, Name, delay);
                token.WaitHandle.WaitOne(delay);
            }
        }

        Log.RunnerStopped(_logger, Name);
    }
}
