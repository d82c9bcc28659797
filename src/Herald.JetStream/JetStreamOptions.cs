namespace Herald.JetStream;

/// <summary>
/// Settings for Herald on NATS JetStream (section <c>Herald:Nats</c>): where the NATS servers are, how to authenticate,
/// and the streams Herald creates there. Every Herald node of one hub uses the same <see cref="SubjectPrefix"/> and
/// stream names. Checked when Herald starts.
/// </summary>
/// <remarks>
/// Herald creates or updates its streams at start-up (several nodes starting at once is safe) and checks that the
/// server applied every setting it asked for. Written for nats-server 2.9 and later; docs/multi-node.md says what each
/// setting risks.
/// </remarks>
public sealed class JetStreamOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Herald:Nats";

    /// <summary>
    /// The NATS servers, comma-separated (<c>nats://a:4222,nats://b:4222</c>); the client connects to one and moves to
    /// another when it fails. <c>tls://</c> URLs require TLS. Required.
    /// </summary>
    public string Url { get; set; } = string.Empty;

    /// <summary>The user name for user/password authentication. Default: none.</summary>
    public string? User { get; set; }

    /// <summary>The password for <see cref="User"/>. Default: none. Never logged.</summary>
    public string? Password { get; set; }

    /// <summary>A token for token authentication. Default: none. Never logged.</summary>
    public string? Token { get; set; }

    /// <summary>A NATS credentials file (user JWT and NKey seed), as <c>nsc</c> writes it. Default: none.</summary>
    public string? CredsFile { get; set; }

    /// <summary>A file holding an NKey seed for NKey authentication. Default: none.</summary>
    public string? NKeyFile { get; set; }

    /// <summary>A PEM file of the certificate authorities that sign the servers' certificates. Default: the system's.</summary>
    public string? TlsCaFile { get; set; }

    /// <summary>A PEM client certificate, for servers that verify clients (with <see cref="TlsKeyFile"/>). Default: none.</summary>
    public string? TlsCertFile { get; set; }

    /// <summary>The PEM private key of <see cref="TlsCertFile"/>. Default: none.</summary>
    public string? TlsKeyFile { get; set; }

    /// <summary>
    /// The first token of every subject Herald uses: events are published to <c>&lt;prefix&gt;.events.…</c>, sessions
    /// to <c>&lt;prefix&gt;.sessions.…</c>, commands between nodes to <c>&lt;prefix&gt;.bus</c>. Default <c>herald</c>;
    /// letters, digits, <c>-</c> and <c>_</c>.
    /// </summary>
    public string SubjectPrefix { get; set; } = "herald";

    /// <summary>The stream holding events; its sequence is Herald's event id. Default <c>HERALD_EVENTS</c>.</summary>
    public string EventsStream { get; set; } = "HERALD_EVENTS";

    /// <summary>The stream holding session records and their mailboxes of direct messages. Default <c>HERALD_SESSIONS</c>.</summary>
    public string SessionsStream { get; set; } = "HERALD_SESSIONS";

    /// <summary>
    /// Copies of each stream kept by the NATS cluster: 1 (the default, one server) or 3 (a three-server cluster survives
    /// the loss of one server without losing an acknowledged event); 1 to 5.
    /// </summary>
    public int Replicas { get; set; } = 1;

    /// <summary>Where the servers keep the streams: <see cref="JetStreamStorage.File"/> (the default) or <see cref="JetStreamStorage.Memory"/>.</summary>
    public JetStreamStorage Storage { get; set; } = JetStreamStorage.File;

    /// <summary>The most events the events stream keeps; the oldest go first. Default <see langword="null"/>: no count limit.</summary>
    public long? MaxEvents { get; set; }

    /// <summary>How long the events stream keeps an event, from when it was stored. Default <see langword="null"/>: no age limit.</summary>
    public TimeSpan? MaxAge { get; set; }

    /// <summary>The most bytes the events stream keeps; the oldest events go first. Default <see langword="null"/>: no size limit.</summary>
    public long? MaxBytes { get; set; }

    /// <summary>
    /// How long the events stream remembers a publish's idempotency key (<c>Nats-Msg-Id</c>), so a retried publish is
    /// stored once. Default 2 minutes; at least 1 second.
    /// </summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long one append may take, retries included, before it fails with 503: long enough to ride out a leader
    /// election (a few seconds). Default 10 seconds; positive.
    /// </summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long Herald waits for NATS at start-up before it gives up (several nodes may start before their servers do).
    /// Default 30 seconds; positive.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Recent events each node keeps in memory to answer replays and history reads without asking NATS (a resume
    /// storm reads them thousands of times). Default 100,000; 0 turns the cache off.
    /// </summary>
    public int CacheEvents { get; set; } = 100_000;

    /// <summary>
    /// The most memory the cache of recent events may hold, in bytes (payloads and about 200 bytes per event); the
    /// oldest events leave first. Default 67,108,864 (64 MiB); at least 1,048,576 (1 MiB).
    /// </summary>
    public long CacheBytes { get; set; } = 64L * 1024 * 1024;
}
