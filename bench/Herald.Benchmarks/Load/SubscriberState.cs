namespace Herald.Benchmarks.Load;

/// <summary>Where a subscriber is on its way to receiving events.</summary>
internal enum SubscriberState
{
    /// <summary>No socket: not started, failed for good, or waiting to reconnect.</summary>
    Idle,

    /// <summary>TCP connect under way.</summary>
    Connecting,

    /// <summary>Upgrade request sent; waiting for 101.</summary>
    Upgrading,

    /// <summary>Upgraded; waiting for the server's welcome (or NATS's PONG).</summary>
    Open,

    /// <summary>Welcomed: receiving events (and, when resuming, the replay before them).</summary>
    Ready,
}
