namespace Herald.Client;

/// <summary>
/// A resume could not replay every event after <see cref="Since"/> because the server's retention had
/// already dropped some, or because the server's store is behind the client (it was reset): the consumer may have
/// missed events and should reload its state. The client carries on from <see cref="LastId"/>.
/// </summary>
/// <param name="since">The last event id the client had delivered.</param>
/// <param name="lastId">The last event id the replay covered.</param>
public sealed class ResumeIncompleteEventArgs(long since, long lastId) : EventArgs
{
    /// <summary>The last event id the client had delivered (the <c>since</c> it resumed from).</summary>
    public long Since { get; } = since;

    /// <summary>The last event id the replay covered.</summary>
    public long LastId { get; } = lastId;
}
