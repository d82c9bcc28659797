namespace Herald;

/// <summary>What changed in a session store (<see cref="SessionChange"/>).</summary>
public enum SessionChangeKind
{
    /// <summary>A record was written; <see cref="SessionChange.Record"/> holds it as stored.</summary>
    Written,

    /// <summary>A record was deleted (revoked, or expired and swept) with its mailbox; <see cref="SessionChange.Record"/> holds it as it was.</summary>
    Deleted,

    /// <summary>A message was queued in the session's mailbox.</summary>
    MessageQueued,

    /// <summary>The watcher fell behind and missed changes: it must look again at every session it cares about.</summary>
    Reset,
}
