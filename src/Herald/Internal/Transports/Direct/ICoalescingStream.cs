namespace Herald.Internal.Transports.Direct;

/// <summary>
/// A stream that can hold writes back and send them together with the next one, so a connection's writer
/// sends a run of queued frames in one socket write instead of one each.
/// </summary>
internal interface ICoalescingStream
{
    /// <summary>Held bytes past this many are sent at once.</summary>
    const int HoldLimit = 16 * 1024;

    /// <summary>
    /// Set by the connection's writer before each frame: true while another frame follows at once, so the
    /// stream may keep this write until the next. Any write made while it is false sends everything held.
    /// Held bytes are sent anyway once they come to about <see cref="HoldLimit"/>.
    /// </summary>
    bool HoldWrites { get; set; }
}
