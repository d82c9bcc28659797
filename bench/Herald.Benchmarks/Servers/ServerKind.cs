namespace Herald.Benchmarks.Servers;

/// <summary>The servers the suite compares.</summary>
public enum ServerKind
{
    /// <summary>Herald itself, built with <c>HeraldServer.Build</c> as <c>herald serve</c> does.</summary>
    Herald,

    /// <summary>A minimal Kestrel WebSocket broadcaster: the practical limit for .NET on this machine.</summary>
    Raw,

    /// <summary>An ASP.NET Core SignalR hub broadcasting with <c>Clients.All</c>: the incumbent.</summary>
    SignalR,
}
