using Herald.Testing;

namespace Herald.FunctionalTests.Security;

/// <summary>
/// A server with authentication on: an HS256 secret for tokens and three API keys (a publisher of <c>cams/#</c>, a
/// messenger, an admin), with no clock skew so expiry tests need not wait.
/// </summary>
internal static class AuthServer
{
    public const string Secret = "functional-tests-hs256-secret-32-bytes-at-least";

    public static readonly string PublisherKey = ApiKeys.Create();

    public static readonly string MessengerKey = ApiKeys.Create();

    public static readonly string AdminKey = ApiKeys.Create();

    static AuthServer() => SecretScanner.Register(Secret, PublisherKey, MessengerKey, AdminKey);

    public static string[] Settings(params string[] more) =>
    [
        $"--Herald:Auth:Jwt:Secret={Secret}",
        "--Herald:Auth:Jwt:ClockSkew=00:00:00",
        "--Herald:Auth:ApiKeys:0:Name=publisher",
        $"--Herald:Auth:ApiKeys:0:Hash={ApiKeys.Hash(PublisherKey)}",
        "--Herald:Auth:ApiKeys:0:Publish:0=cams/#",
        "--Herald:Auth:ApiKeys:1:Name=messenger",
        $"--Herald:Auth:ApiKeys:1:Hash={ApiKeys.Hash(MessengerKey)}",
        "--Herald:Auth:ApiKeys:1:Messages=true",
        "--Herald:Auth:ApiKeys:2:Name=admin",
        $"--Herald:Auth:ApiKeys:2:Hash={ApiKeys.Hash(AdminKey)}",
        "--Herald:Auth:ApiKeys:2:Admin=true",
        .. more,
    ];

    public static Task<LoopbackApp> StartAsync(params string[] more) => TestServer.StartAsync(Settings(more));

    /// <summary>A token for <paramref name="subject"/> signed with <see cref="Secret"/>.</summary>
    public static string Token(string subject, string[]? subscribe = null, string[]? publish = null, TimeSpan? lifetime = null, bool admin = false)
        => HeraldTokens.Create(
            new HeraldTokenRequest { Subject = subject, Subscribe = subscribe ?? ["#"], Publish = publish ?? [], Lifetime = lifetime ?? TimeSpan.FromMinutes(5), Admin = admin },
            HeraldTokens.FromSecret(Secret));

    public static HttpRequestMessage Request(HttpMethod method, string path, string? bearer, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        return request;
    }
}
