namespace Herald.Internal.Sessions;

/// <summary>The outcome of joining a connection to its session: the resume token for its <c>welcome</c>, or why it was refused.</summary>
internal readonly record struct SessionJoin(string? ResumeToken, string? Error)
{
    public bool Joined => Error is null;

    public static SessionJoin Refused(string error) => new(null, error);
}
