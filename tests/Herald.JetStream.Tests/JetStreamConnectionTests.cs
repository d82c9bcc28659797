using Microsoft.Extensions.Options;

namespace Herald.JetStream.Tests;

public sealed class JetStreamConnectionTests
{
    [Fact]
    public async Task AServerThatWantsAUserIsReachedWithItsPasswordAndRefusesAWrongOneWithoutShowingIt()
    {
        await using var nats = await NatsServers.StartAsync(extraConfig: "authorization { user: herald, password: \"s3cret-pass\" }");

        await using (var good = new JetStreamConnection(Options(nats, "s3cret-pass"), "node-a"))
        {
            await good.OpenAsync(CancellationToken.None);
            Assert.True(good.IsConnected);
        }

        await using var bad = new JetStreamConnection(Options(nats, "wrong-pass"), "node-a");
        var refused = await Assert.ThrowsAsync<EventStoreUnavailableException>(() => bad.OpenAsync(CancellationToken.None).AsTask());
        Assert.DoesNotContain("wrong-pass", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nats://herald:s3cret@host:4222", "nats://***@host:4222")]
    [InlineData("nats://a:4222, tls://b:4222", "nats://a:4222,tls://b:4222")]
    public void UrlsAreShownWithoutTheirUserInformation(string urls, string shown)
        => Assert.Equal(shown, JetStreamConnection.Redacted(urls));

    [Theory]
    [InlineData("", "Herald:Nats:Url must name at least one NATS server")]
    [InlineData("http://a:4222", "each server is a nats://, tls://, ws:// or wss:// URL")]
    public void OptionsThatCannotWorkAreRefusedNamingTheKey(string url, string message)
    {
        var refused = Assert.Throws<OptionsValidationException>(() => new JetStreamConnection(new JetStreamOptions { Url = url }, "node-a"));
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
    }

    private static JetStreamOptions Options(NatsServers nats, string password)
        => new() { Url = nats.Urls, User = "herald", Password = password, ConnectTimeout = TimeSpan.FromSeconds(3) };
}
