namespace Herald.UniFi.Tests.FakeController;

/// <summary>One login on the fake controller.</summary>
internal sealed class FakeSession(string token, string csrf, DateTimeOffset expiresAt)
{
    public string Token { get; } = token;

    public string Csrf { get; set; } = csrf;

    public DateTimeOffset ExpiresAt { get; } = expiresAt;
}
