namespace Herald.Client;

/// <summary>
/// Exponential back-off with jitter for reconnects and restarts: the n-th consecutive failure waits
/// <c>min(MaxDelay, MinDelay * 2^(n-1))</c>, shortened by up to <see cref="Jitter"/> of itself at random so
/// many clients do not retry in lock-step. <see cref="Reset"/> after a success starts again from
/// <see cref="MinDelay"/>. Thread-safe.
/// </summary>
public sealed class ReconnectPolicy
{
    private readonly Lock _sync = new();
    private int _attempts;

    /// <summary>Creates a policy.</summary>
    /// <param name="minDelay">The first delay; must be positive. Default 1 second.</param>
    /// <param name="maxDelay">The longest delay; at least <paramref name="minDelay"/>. Default 30 seconds.</param>
    /// <param name="jitter">The fraction (0 to 1) by which a delay may be shortened at random. Default 0.2.</param>
    /// <param name="maxAttempts">How many consecutive failures are retried; null (the default) retries forever.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public ReconnectPolicy(TimeSpan? minDelay = null, TimeSpan? maxDelay = null, double jitter = DefaultJitter, int? maxAttempts = null)
    {
        MinDelay = minDelay ?? DefaultMinDelay;
        MaxDelay = maxDelay ?? DefaultMaxDelay;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MinDelay, TimeSpan.Zero, nameof(minDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDelay, MinDelay, nameof(maxDelay));
        if (double.IsNaN(jitter) || jitter is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(jitter), jitter, "Jitter must be between 0 and 1.");
        }

        if (maxAttempts is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxAttempts), maxAttempts, "MaxAttempts must be null (unlimited) or at least 0.");
        }

        Jitter = jitter;
        MaxAttempts = maxAttempts;
    }

    /// <summary>The default first delay: 1 second.</summary>
    public static readonly TimeSpan DefaultMinDelay = TimeSpan.FromSeconds(1);

    /// <summary>The default longest delay: 30 seconds.</summary>
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>The default jitter: 0.2 (a delay is shortened by up to 20%).</summary>
    public const double DefaultJitter = 0.2;

    /// <summary>The first delay.</summary>
    public TimeSpan MinDelay { get; }

    /// <summary>The longest delay.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>The fraction (0 to 1) by which a delay may be shortened at random.</summary>
    public double Jitter { get; }

    /// <summary>How many consecutive failures are retried; null means forever.</summary>
    public int? MaxAttempts { get; }

    /// <summary>Consecutive failures since the last <see cref="Reset"/> (the number of delays handed out).</summary>
    public int Attempts
    {
        get
        {
            lock (_sync)
            {
                return _attempts;
            }
        }
    }

    /// <summary>Whether another attempt is allowed: <see cref="Attempts"/> is below <see cref="MaxAttempts"/>.</summary>
    public bool CanRetry
    {
        get
        {
            lock (_sync)
            {
                return MaxAttempts is not { } max || _attempts < max;
            }
        }
    }

    /// <summary>Counts one more failure and returns how long to wait before the next attempt.</summary>
    public TimeSpan NextDelay()
    {
        int attempt;
        lock (_sync)
        {
            attempt = ++_attempts;
        }

        return DelayFor(attempt, Random.Shared.NextDouble());
    }

    /// <summary>Forgets past failures (call it after a success); the next delay is <see cref="MinDelay"/> again.</summary>
    public void Reset()
    {
        lock (_sync)
        {
            _attempts = 0;
        }
    }

    /// <summary>
    /// The delay before attempt <paramref name="attempt"/> (1-based), with jitter, without counting it:
    /// for callers that keep their own attempt count. <see cref="MinDelay"/> doubling per attempt up to
    /// <see cref="MaxDelay"/>, shortened by up to <see cref="Jitter"/> of itself at random.
    /// </summary>
    /// <param name="attempt">The attempt number, 1 or more; any larger number (even <see cref="int.MaxValue"/>) gives about <see cref="MaxDelay"/>.</param>
    public TimeSpan DelayFor(int attempt) => DelayFor(attempt, Random.Shared.NextDouble());

    /// <summary>The delay before attempt <paramref name="attempt"/> (1-based) for a random draw in [0, 1).</summary>
    internal TimeSpan DelayFor(int attempt, double random)
    {
        var exponent = Math.Min(Math.Max(attempt - 1, 0), 30);
        var ticks = Math.Min((double)MaxDelay.Ticks, MinDelay.Ticks * Math.Pow(2, exponent));
        ticks *= 1 - (Jitter * random);
        return TimeSpan.FromTicks((long)ticks);
    }
}
