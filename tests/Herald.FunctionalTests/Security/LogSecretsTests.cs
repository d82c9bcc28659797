using System.Net.Http.Json;
using Herald.Server;
using Herald.Testing;
using Microsoft.Extensions.Logging;

namespace Herald.FunctionalTests.Security;

/// <summary>Every path that carries a secret, logged at the most verbose level: no token, key or secret reaches the logs.</summary>
public sealed class LogSecretsTests
{
    [Theory]
    [MemberData(nameof(AuthenticationTests.ListenerPaths), MemberType = typeof(AuthenticationTests))]
    public async Task NoTokenKeyOrSecretIsEverLogged(string path)
    {
        var logs = new CapturingLoggerProvider();
        await using var app = await LoopbackApp.StartAsync(
            a => HeraldServer.Build(a, b => b.Logging.AddProvider(logs)),
            AuthServer.Settings(path, "--Logging:LogLevel:Default=Trace", "--Herald:AllowClientPublish=true"));
        var token = AuthServer.Token("alice");
        var refreshed = AuthServer.Token("alice", lifetime: TimeSpan.FromHours(2));
        var forged = HeraldTokens.Create(new HeraldTokenRequest { Subject = "mallory" }, HeraldTokens.FromSecret("a-forged-secret-of-at-least-32-bytes!!"));

        // A session joined with a token in the query, resumed with its resume token, refreshed in-band.
        var (first, welcome) = await app.ConnectAsync("session=alice:s1&access_token=" + token);
        var resumeToken = welcome.GetProperty("resumeToken").GetString()!;
        await first.DisposeAsync();
        var (second, again) = await app.ConnectAsync($"session=alice:s1&resume={resumeToken}", o => o.SetRequestHeader("Authorization", "Bearer " + token));
        await second.SendAsync(new { type = "auth", token = refreshed });
        await second.ReceiveAsync("authenticated");
        await second.DisposeAsync();

        // Refused credentials: a forged token, an unknown key, over the socket and over HTTP.
        await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events?access_token=" + forged);
        using (await app.Http.SendAsync(AuthServer.Request(HttpMethod.Get, "api/events?access_token=" + forged, null)))
        using (await app.Http.SendAsync(AuthServer.Request(HttpMethod.Post, "api/events", "hk_not-a-key", JsonContent.Create(new { topic = "a", type = "b" }))))
        using (await app.Http.SendAsync(AuthServer.Request(HttpMethod.Post, "api/events", AuthServer.PublisherKey, JsonContent.Create(new { topic = "cams/a", type = "b" }))))
        {
        }

        await app.StopAsync();
        var text = logs.Text;
        Assert.Contains("Connection", text, StringComparison.Ordinal);
        string[] secrets = [token, refreshed, forged, resumeToken, again.GetProperty("resumeToken").GetString()!, AuthServer.PublisherKey, "hk_not-a-key", AuthServer.Secret];
        foreach (var secret in secrets)
        {
            // Even a fragment is a leak: a JWT's signature part, say.
            Assert.DoesNotContain(secret.Length > 16 ? secret[^16..] : secret, text, StringComparison.Ordinal);
        }
    }
}
