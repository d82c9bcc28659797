namespace Herald.Internal.Security;

/// <summary>The outcome of authenticating a request: the user, or why it was refused (never the credentials themselves).</summary>
internal readonly record struct AuthOutcome(HeraldUser? User, string? Reason)
{
    public bool Succeeded => User is not null;

    public static AuthOutcome Refused(string reason) => new(null, reason);
}
