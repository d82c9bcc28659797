using Herald.Server;
using Herald.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Sdk;

namespace Herald.FunctionalTests.Security;

/// <summary>
/// Every in-process test server's logs are scanned for secrets when it stops (<see cref="LoopbackApp"/>), at Herald's
/// every level whatever the test's console shows: a server that logs one fails its test.
/// </summary>
public sealed class LogScanTests
{
    [Theory]
    [InlineData(LogLevel.Debug)]
    [InlineData(LogLevel.Warning)]
    public async Task AServerThatLogsATokenFailsWhenItStops(LogLevel level)
    {
        var app = await LoopbackApp.StartAsync(a => HeraldServer.Build(a), "--Logging:LogLevel:Default=Warning");
        var token = AuthServer.Token("alice");

        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Herald.Connections").Log(level, "Connection c1 joined with {Query}", "?access_token=" + token);

        var failure = await Assert.ThrowsAsync<FailException>(async () => await app.DisposeAsync());
        Assert.Contains("a JWT", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerThatLogsARegisteredSecretFailsWhenItStops()
    {
        var app = await AuthServer.StartAsync();

        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Herald.Hub").LogError("Signing with {Value}", AuthServer.Secret);

        var failure = await Assert.ThrowsAsync<FailException>(async () => await app.DisposeAsync());
        Assert.Contains("a registered secret", failure.Message, StringComparison.Ordinal);
    }
}
