namespace Herald.Testing;

/// <summary>An HTTP answer read by <see cref="RawUpgrade"/>.</summary>
/// <param name="StatusCode">The status code, 101 when the upgrade was accepted.</param>
/// <param name="Body">The body as text (empty for 101).</param>
/// <param name="Headers">The response headers (empty for 101).</param>
public sealed record RawHttpResponse(int StatusCode, string Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>A header's value, or null.</summary>
    public string? Header(string name) => Headers is not null && Headers.TryGetValue(name, out var value) ? value : null;
}
