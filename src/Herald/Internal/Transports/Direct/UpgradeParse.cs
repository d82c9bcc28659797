namespace Herald.Internal.Transports.Direct;

/// <summary>What <see cref="UpgradeRequest.TryParse"/> made of the bytes so far.</summary>
internal enum UpgradeParse
{
    /// <summary>The head is not complete yet and may still be ours.</summary>
    NeedMore,

    /// <summary>Not a plain WebSocket handshake for Herald's path: the HTTP layer handles it.</summary>
    NotOurs,

    /// <summary>A valid handshake for Herald's path.</summary>
    Ours,
}
