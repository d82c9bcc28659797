namespace Herald.Internal.Http;

/// <summary>The session a connect request asks for: the <c>session</c> and <c>resume</c> query parameters, either possibly absent.</summary>
internal readonly record struct SessionRequest(string? Id, string? ResumeToken);
