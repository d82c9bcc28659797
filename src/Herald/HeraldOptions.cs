namespace Herald;

/// <summary>
/// Settings for the hub, bound from the <c>Herald</c> configuration section. Every default is stated;
/// <see cref="HeraldOptionsValidator"/> checks them at start-up.
/// </summary>
public sealed class HeraldOptions
{
    /// <summary>The configuration section the standalone server binds: <c>Herald</c>.</summary>
    public const string SectionName = "Herald";

    /// <summary>How often the server sends a <c>ping</c> frame to each connection. Default 30 seconds.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A connection that sends nothing (no frame, no pong) for this long is closed as stale.
    /// Default 120 seconds; must exceed <see cref="HeartbeatInterval"/>.
    /// </summary>
    public TimeSpan ClientTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// A single send to a client that takes longer than this aborts the connection (a dead peer can
    /// otherwise hold a send for many minutes). Default 15 seconds.
    /// </summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a close handshake may take before the socket is aborted. Default 5 seconds.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest client message accepted, in bytes; larger ones close the socket with 1009. Default 65,536 (64 KiB).</summary>
    public int MaxMessageSize { get; set; } = 64 * 1024;

    /// <summary>
    /// The largest event payload (<c>data</c>, as UTF-8 JSON) accepted from a client over HTTP or in a <c>publish</c>
    /// frame, and the largest direct message body, in bytes; larger ones are refused (HTTP 413). Default 1,048,576
    /// (1 MiB, like NATS's default maximum payload). Events published in-process are not checked.
    /// </summary>
    public int MaxEventSize { get; set; } = 1024 * 1024;

    /// <summary>The longest event <c>type</c> accepted from a client, in characters. Default 256.</summary>
    public int MaxEventTypeLength { get; set; } = 256;

    /// <summary>The longest event <c>source</c> accepted from a client, in characters. Default 1,024.</summary>
    public int MaxEventSourceLength { get; set; } = 1024;

    /// <summary>The most events in one publish request or frame; more are refused (HTTP 413). Default 10,000.</summary>
    public int MaxEventsPerRequest { get; set; } = 10_000;

    /// <summary>
    /// The largest body of <c>POST /api/events</c>, in bytes: refused with 413 from its <c>Content-Length</c>, or as
    /// soon as that many bytes have arrived, before any of it is parsed. Default 4,194,304 (4 MiB); at least
    /// <see cref="MaxEventSize"/>.
    /// </summary>
    public int MaxPublishBodySize { get; set; } = 4 * 1024 * 1024;

    /// <summary>The largest <c>limit</c> of <c>GET /api/events</c>, in events. Default 1,000.</summary>
    public int MaxHistoryPageSize { get; set; } = 1000;

    /// <summary>
    /// About the most bytes of events one <c>GET /api/events</c> page holds: a page stops early (with its
    /// <c>next</c> or <c>prev</c>) rather than grow past it, and always holds at least one event. Default 4,194,304 (4 MiB).
    /// </summary>
    public int MaxHistoryResponseSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// The most topic patterns one connection holds at once. A <c>subscribe</c> frame that would go past it is answered
    /// with an <c>error</c> frame of code <c>too_many_subscriptions</c> (the connection stays open); a WebSocket or SSE
    /// request whose <c>topics</c> name more is refused with 400. Default 256.
    /// </summary>
    public int MaxSubscriptionsPerConnection { get; set; } = 256;

    /// <summary>
    /// The most <c>/</c>-separated segments in a topic pattern a client subscribes to (<c>a/+/c</c> has 3). A deeper
    /// pattern in a <c>subscribe</c> frame is answered with an <c>error</c> frame of code <c>topic_too_deep</c>; in a
    /// request's <c>topics</c>, with 400. Default 32.
    /// </summary>
    public int MaxTopicDepth { get; set; } = 32;

    /// <summary>
    /// Frames per second a WebSocket client may send, on average: each connection has a token bucket
    /// (<see cref="System.Threading.RateLimiting.TokenBucketRateLimiter"/>) refilled at this rate and holding
    /// <see cref="ClientFrameBurst"/> frames. A frame beyond it is not acted on and is answered with an <c>error</c> frame of
    /// code <c>rate_limited</c>. 0 turns the limit off. Default 100.
    /// </summary>
    public int ClientFrameRate { get; set; } = 100;

    /// <summary>Frames a WebSocket client may send at once after a quiet spell: the size of its token bucket. Default 200.</summary>
    public int ClientFrameBurst { get; set; } = 200;

    /// <summary>
    /// Frames refused as <c>rate_limited</c> within <see cref="RateLimitWindow"/> after which the client counts as abusive
    /// and its connection is closed with 1008 ("rate limit exceeded"). Default 100.
    /// </summary>
    public int MaxRateLimitedFrames { get; set; } = 100;

    /// <summary>The window in which <see cref="MaxRateLimitedFrames"/> refusals close a connection. Default 10 seconds.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Frames queued for one connection before it counts as a slow consumer and is closed with code
    /// 4000 ("slow consumer"). Default 1,024 frames.
    /// </summary>
    public int SendQueueCapacity { get; set; } = 1024;

    /// <summary>
    /// Browser origins allowed to open a WebSocket or to send a REST request that changes something (POST, DELETE),
    /// such as <c>https://dash.example.com</c>; <c>*</c> allows any. Localhost origins and the server's own host are
    /// always allowed; requests without an <c>Origin</c> header (non-browser clients) are always allowed. Others get
    /// 403. Default: empty.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>
    /// The most WebSocket and SSE connections the hub holds; a connection request past it is answered
    /// 503 at once, before any upgrade. Default <see langword="null"/>: no limit of the hub's own (the
    /// standalone server sets one from the process's open-file limit).
    /// </summary>
    public int? MaxConnections { get; set; }

    /// <summary>
    /// The most WebSocket and SSE connections the hub holds from one remote address (an IPv6 address counts by its /64
    /// prefix); a connection request past it is answered 429 at once, before any upgrade. Default 1,000.
    /// </summary>
    public int MaxConnectionsPerAddress { get; set; } = 1000;

    /// <summary>
    /// The most HTTP connections open at once from one remote address (an IPv6 address counts by its /64 prefix):
    /// REST calls, handshakes in progress, idle and silent connections; connections past it are closed at once, unread.
    /// WebSockets and SSE streams stop counting here once they are accepted (<see cref="MaxConnectionsPerAddress"/>
    /// counts them). Applies on listeners with <c>UseHeraldConnectionLimits()</c> (every listener of <c>herald serve</c>) and
    /// to connections Herald's socket transport (<c>UseHeraldSockets()</c>) holds before handing them to Kestrel.
    /// Default 64.
    /// </summary>
    public int MaxHttpConnectionsPerAddress { get; set; } = 64;

    /// <summary>
    /// This node's name among the hubs that share one event log and session store (a cluster). It must be unique
    /// among them and stay the same across restarts: on start-up a node releases the sessions its previous run
    /// held. Default: the machine name (<see cref="Environment.MachineName"/>); set it when several nodes run on one machine.
    /// </summary>
    public string NodeId { get; set; } = Environment.MachineName;

    /// <summary>Authentication and grants (<c>Herald:Auth</c>); off by default. See <see cref="HeraldAuthOptions"/>.</summary>
    public HeraldAuthOptions Auth { get; } = new();

    /// <summary>The REST API's rate limit (<c>Herald:RateLimit</c>); on by default. See <see cref="HeraldRateLimitOptions"/>.</summary>
    public HeraldRateLimitOptions RateLimit { get; } = new();

    /// <summary>Whether WebSocket clients may send <c>publish</c> frames. Default <see langword="false"/>.</summary>
    public bool AllowClientPublish { get; set; }

    /// <summary>
    /// Publish requests (one event, or one batch) waiting to be stored before <c>Publish</c> refuses more and
    /// <c>PublishAsync</c> waits. Default 65,536.
    /// </summary>
    public int PublishQueueCapacity { get; set; } = 65_536;

    /// <summary>The most events stored in one commit (group commit). Default 1,000.</summary>
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>Events read from the store per page during a replay. Default 500.</summary>
    public int ReplayPageSize { get; set; } = 500;

    /// <summary>Messages queued for a session whose socket is down; the oldest are dropped beyond it. Default 100.</summary>
    public int SessionQueueLimit { get; set; } = 100;

    /// <summary>How long a message waits for an absent session before it is dropped. Default 2 minutes.</summary>
    public TimeSpan SessionMessageTtl { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a disconnected session stays reserved for its resume token. After that the session is gone: its
    /// queued messages are deleted, and a client that joins with its id gets a new session. Default 2 minutes.
    /// </summary>
    public TimeSpan SessionTtl { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Messages from one session's clients waiting for the application to receive them; the oldest are dropped beyond it. Default 100.</summary>
    public int SessionInboxCapacity { get; set; } = 100;
}
