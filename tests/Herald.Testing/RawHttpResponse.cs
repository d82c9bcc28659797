namespace Herald.Testing;

/// <summary>An HTTP answer read by <see cref="RawUpgrade"/>.</summary>
/// <param name="StatusCode">The status code, 101 when the upgrade was accepted.</param>
/// <param name="Body">The body as text (empty for 101).</param>
public sealed record RawHttpResponse(int StatusCode, string Body);
