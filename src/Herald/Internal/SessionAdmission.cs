namespace Herald.Internal;

/// <summary>The outcome of a connect request's <c>session</c> and <c>resume</c> parameters.</summary>
internal readonly record struct SessionAdmission(string SessionId, string? ResumeToken, string? Error)
{
    public bool Admitted => Error is null;
}
