namespace Herald.Benchmarks.Orchestrator;

/// <summary>How a <see cref="Publisher"/> sends events.</summary>
public enum PublishChannel
{
    /// <summary>Keep-alive HTTP/1.1: Herald's <c>POST /api/events</c>, the references' <c>POST /publish?topic=T</c>.</summary>
    Http,

    /// <summary>Herald's WebSocket: <c>publish</c> frames, each answered with <c>published</c>.</summary>
    WebSocket,

    /// <summary>Core NATS over TCP: <c>PUB</c>, confirmed at the end of a run with PING/PONG.</summary>
    Nats,
}
