namespace Herald;

/// <summary>What became of a direct message (<see cref="IHeraldHub.SendToSessionAsync"/>).</summary>
public enum SessionMessageOutcome
{
    /// <summary>Handed to the session's live connection on this node.</summary>
    Delivered,

    /// <summary>Queued in the session's mailbox: delivered when the session is (or comes) back, on whichever node holds it.</summary>
    Queued,

    /// <summary>No such session (never joined, revoked, or expired): nothing was sent or kept.</summary>
    NoSession,
}
