namespace Herald;

/// <summary>
/// What a session store keeps about one session: who owns it, which resume tokens open it, and where it is
/// attached. The hub reads and writes records whole, with compare-and-set on <see cref="Revision"/>.
/// </summary>
public sealed record SessionRecord
{
    /// <summary>The session id (at most 128 printable characters).</summary>
    public required string Id { get; init; }

    /// <summary>The authenticated subject that owns the session, or <see langword="null"/> when it was created without authentication.</summary>
    public string? Owner { get; init; }

    /// <summary>SHA-256 of the current resume token (32 bytes). Tokens themselves are never stored.</summary>
    public required ReadOnlyMemory<byte> TokenHash { get; init; }

    /// <summary>
    /// SHA-256 of the token the last successful join presented, still accepted so a client that lost the
    /// <c>welcome</c> carrying the current token can come back; empty when there is none.
    /// </summary>
    public ReadOnlyMemory<byte> PreviousTokenHash { get; init; }

    /// <summary>The connection the session is attached to, or <see langword="null"/> while it is away.</summary>
    public SessionAttachment? Attachment { get; init; }

    /// <summary>When the session was created, in UTC.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the session last lost its connection (or was created), in UTC; its time to live runs from here while it is away.</summary>
    public DateTimeOffset AwaySince { get; init; }

    /// <summary>The store's version of this record: greater than zero once stored, and greater after every write than before it, across the whole store (a record created again after a delete has a greater revision than the deleted one had). Set by the store.</summary>
    public long Revision { get; init; }

    /// <summary>Whether the session has run out: away (not attached) for longer than <paramref name="ttl"/> at <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="ttl">How long an away session is kept.</param>
    public bool IsExpired(DateTimeOffset now, TimeSpan ttl) => Attachment is null && now - AwaySince > ttl;
}
