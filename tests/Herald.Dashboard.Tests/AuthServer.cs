using System.Net.Http.Headers;
using Herald.Testing;

namespace Herald.Dashboard.Tests;

/// <summary>A dashboard server with authentication on (an HS256 secret, no clock skew) and tokens signed for it.</summary>
internal static class AuthServer
{
    private const string Secret = "dashboard-tests-secret-of-32-bytes-or-more";

    /// <summary>Starts the server; the test's own requests (publish, scrape) go as an administrator.</summary>
    public static async Task<HeraldTestServer> StartAsync(params string[] more)
    {
        SecretScanner.Register(Secret);
        var server = await HeraldTestServer.StartAsync(null, [$"--Herald:Auth:Jwt:Secret={Secret}", "--Herald:Auth:Jwt:ClockSkew=00:00:00", .. more]);
        server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token("test-runner", publish: ["#"], admin: true));
        return server;
    }

    /// <summary>A token for <paramref name="subject"/> that may read everything, publish to <paramref name="publish"/>, and administer when <paramref name="admin"/>.</summary>
    public static string Token(string subject, string[]? publish = null, bool admin = false, TimeSpan? lifetime = null)
        => HeraldTokens.Create(
            new HeraldTokenRequest { Subject = subject, Subscribe = ["#"], Publish = publish ?? [], Admin = admin, Lifetime = lifetime ?? TimeSpan.FromHours(1) },
            HeraldTokens.FromSecret(Secret));
}
