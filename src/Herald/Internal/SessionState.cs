using System.Threading.Channels;

namespace Herald.Internal;

/// <summary>One logical client. Guarded by its own lock; <see cref="Gate"/> orders store access across awaits.</summary>
internal sealed class SessionState(string id)
{
    public string Id { get; } = id;

    /// <summary>The live connection, or null while the session is away.</summary>
    public HeraldConnection? Current { get; set; }

    /// <summary>True while queued messages are being moved from the store to a new connection.</summary>
    public bool Resuming { get; set; }

    /// <summary>True once a token has been handed out; a claimed session needs its token to reconnect.</summary>
    public bool Claimed { get; set; }

    /// <summary>When the session last lost its connection (or was created away), in UTC ticks.</summary>
    public long AwaySinceTicks { get; set; }

    /// <summary>Set when the sweeper dropped the session; holders of a stale reference look it up again.</summary>
    public bool Removed { get; set; }

    /// <summary>Serializes the paths that touch the store (queue while away, drain on resume) so they cannot interleave.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public Channel<SessionMessage>? Inbox { get; set; }
}
