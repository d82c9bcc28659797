namespace Herald.Client;

/// <summary>The state of a <see cref="HeraldClient"/>'s connection.</summary>
public enum HeraldConnectionState
{
    /// <summary>Not running yet, or stopped for good (disposed, cancelled, or out of reconnect attempts).</summary>
    Closed,

    /// <summary>Opening the first connection.</summary>
    Connecting,

    /// <summary>Connected: the server's <c>welcome</c> arrived.</summary>
    Connected,

    /// <summary>The connection was lost (or never made); waiting to retry, or retrying.</summary>
    Reconnecting,
}
