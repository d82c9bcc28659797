using Microsoft.Extensions.Logging;

namespace Herald.Internal.Sessions;

/// <summary>
/// What every <see cref="AttachedSession"/> needs to deliver its mailbox, made once by <see cref="SessionManager"/> and
/// shared: one reference per attached session rather than four.
/// </summary>
internal sealed class MailboxServices(ISessionStore store, HeraldOptions options, TimeProvider time, ILogger logger)
{
    public ISessionStore Store { get; } = store;

    public HeraldOptions Options { get; } = options;

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = logger;
}
