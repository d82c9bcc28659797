using Herald.Server;
using Herald.Testing;
using Microsoft.Extensions.Logging;

namespace Herald.FunctionalTests.Security;

/// <summary>herald serve does not start wide open on a network: authentication off is for loopback only, unless overridden.</summary>
public sealed class PublicBindTests
{
    [Theory]
    [InlineData("http://0.0.0.0:8000")]
    [InlineData("http://*:8000")]
    [InlineData("http://+:8000")]
    [InlineData("http://[::]:8000")]
    [InlineData("http://192.0.2.10:8000")]
    [InlineData("http://herald.example:8000")]
    [InlineData("http://localhost:8000;http://0.0.0.0:9000")]
    public void APublicAddressWithAuthenticationOffIsRefusedWithHowToFixIt(string urls)
    {
        var error = Assert.Throws<HeraldConfigurationException>(() => HeraldServer.Build(["--urls", urls, "--Herald:Store=memory"]));

        Assert.Contains("authentication off", error.Message, StringComparison.Ordinal);
        Assert.Contains("Herald:Auth:AllowAnonymousOnPublicAddresses", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AKestrelEndpointOnAPublicAddressIsRefusedToo()
        => Assert.Throws<HeraldConfigurationException>(() => HeraldServer.Build(["--Kestrel:Endpoints:Web:Url=http://0.0.0.0:8000", "--Herald:Store=memory"]));

    [Theory]
    [InlineData("http://localhost:8000")]
    [InlineData("http://127.0.0.1:8000")]
    [InlineData("http://127.1.2.3:8000")]
    [InlineData("http://[::1]:8000")]
    public async Task LoopbackWithAuthenticationOffIsAllowed(string urls)
    {
        await using var app = HeraldServer.Build(["--urls", urls, "--Herald:Store=memory"]);
        Assert.NotNull(app);
    }

    [Fact]
    public async Task ALoopbackServerWithAuthenticationOffSaysSoOnceAtStartUp()
    {
        var logs = new CapturingLoggerProvider();
        await using var app = await LoopbackApp.StartAsync(a => HeraldServer.Build(a, b => b.Logging.AddProvider(logs)), "--Logging:LogLevel:Default=Information");
        await app.PublishAsync("a");

        var said = logs.Lines.Where(l => l.Contains("Authentication is off", StringComparison.Ordinal)).ToList();

        var line = Assert.Single(said);
        Assert.StartsWith("Information Herald.Server", line, StringComparison.Ordinal);
        Assert.Contains(app.BaseAddress.Authority, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerWithAuthenticationOnSaysNothingOfTheKind()
    {
        var logs = new CapturingLoggerProvider();
        await using var app = await LoopbackApp.StartAsync(a => HeraldServer.Build(a, b => b.Logging.AddProvider(logs)), AuthServer.Settings("--Logging:LogLevel:Default=Information"));

        Assert.DoesNotContain(logs.Lines, l => l.Contains("Authentication is off", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--Herald:Auth:AllowAnonymousOnPublicAddresses=true")]
    [InlineData("--Herald:Auth:Jwt:Secret=a-secret-of-at-least-thirty-two-bytes!")]
    public async Task APublicAddressIsAllowedWithAuthenticationOrTheOverride(string setting)
    {
        await using var app = HeraldServer.Build(["--urls", "http://0.0.0.0:8000", "--Herald:Store=memory", setting]);
        Assert.NotNull(app);
    }
}
