namespace Herald.UniFi;

/// <summary>A change of <see cref="UniFiSource.State"/>, raised by <see cref="UniFiSource.StateChanged"/>.</summary>
public sealed class UniFiSourceStateChangedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    /// <param name="state">The new state.</param>
    /// <param name="reason">Why, for <see cref="UniFiSourceState.Reconnecting"/> and <see cref="UniFiSourceState.Stopped"/>.</param>
    /// <param name="delay">The back-off delay, for <see cref="UniFiSourceState.Reconnecting"/>.</param>
    public UniFiSourceStateChangedEventArgs(UniFiSourceState state, string? reason = null, TimeSpan? delay = null)
    {
        State = state;
        Reason = reason;
        Delay = delay;
    }

    /// <summary>The new state.</summary>
    public UniFiSourceState State { get; }

    /// <summary>Why the source is reconnecting or stopped; <see langword="null"/> for other states.</summary>
    public string? Reason { get; }

    /// <summary>How long the source waits before the next attempt, for <see cref="UniFiSourceState.Reconnecting"/>.</summary>
    public TimeSpan? Delay { get; }
}
