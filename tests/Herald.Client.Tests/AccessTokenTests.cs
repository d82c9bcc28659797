using System.Text.Json;
using Herald.Testing;

namespace Herald.Client.Tests;

/// <summary>A server with authentication on: the client's token provider supplies tokens and refreshes them in-band.</summary>
public sealed class AccessTokenTests
{
    private const string Secret = "client-tests-secret-that-is-32-bytes-long";

    static AccessTokenTests() => SecretScanner.Register(Secret);

    [Fact]
    public async Task TheClientConnectsPublishesAndAnswersRefreshesWithTokensFromItsProvider()
    {
        await using var server = await TestServers.StartAsync($"--Herald:Auth:Jwt:Secret={Secret}", "--Herald:Auth:Jwt:ClockSkew=00:00:00", "--Herald:Auth:RefreshLead=00:00:30");
        var calls = 0;
        var options = TestServers.Options(server, "cams/#");

        // Each token lasts 20 s, inside the 30 s lead: the server asks for a fresh one at once, and again after each.
        options.AccessTokenProvider = _ =>
        {
            Interlocked.Increment(ref calls);
            return ValueTask.FromResult<string?>(HeraldTokens.Create(
                new HeraldTokenRequest { Subject = "alice", Subscribe = ["cams/#"], Publish = ["cams/#"], Lifetime = TimeSpan.FromSeconds(20) },
                HeraldTokens.FromSecret(Secret)));
        };
        await using var client = new HeraldClient(options);
        await client.ConnectAsync(TestServers.Bounded());
        var connection = client.ConnectionId;

        var id = await client.PublishAsync("cams/front", "motion", JsonSerializer.SerializeToElement(new { n = 1 }), cancellationToken: TestServers.Bounded());
        await Timeouts.Until(() => Volatile.Read(ref calls) >= 4, "the client answered the server's refresh requests");
        var received = await client.ReadEventsAsync(TestServers.Bounded()).FirstAsync();

        Assert.Equal(id, received.Id);
        Assert.Equal(connection, client.ConnectionId);
    }

    [Fact]
    public async Task WithoutATokenTheServerRefusesTheClient()
    {
        await using var server = await TestServers.StartAsync($"--Herald:Auth:Jwt:Secret={Secret}");
        var options = TestServers.Options(server);
        options.MaxReconnectAttempts = 0;
        await using var client = new HeraldClient(options);

        await Assert.ThrowsAnyAsync<Exception>(() => client.ConnectAsync(TestServers.Bounded()));
    }
}
