namespace Herald.UniFi;

/// <summary>Where <see cref="UniFiSource"/> is in its connection cycle.</summary>
public enum UniFiSourceState
{
    /// <summary>Created; <see cref="UniFiSource.RunAsync"/> has not started.</summary>
    Idle,

    /// <summary>Detecting the controller's kind or opening the WebSocket.</summary>
    Connecting,

    /// <summary>Logging in (at start, or because the session expired).</summary>
    LoggingIn,

    /// <summary>The WebSocket is open and events are flowing.</summary>
    Connected,

    /// <summary>Waiting out a back-off delay after a failure or a dropped connection.</summary>
    Reconnecting,

    /// <summary>Stopped for good: cancelled, disposed, or a fatal login error.</summary>
    Stopped,
}
