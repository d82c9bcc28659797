namespace Herald.Cli.Tests;

/// <summary><c>herald serve</c>'s command line: help names the main settings, anything unknown exits with code 2.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task HelpNamesTheMainSettingsAndWhereTheRestAre()
    {
        var (code, output, _) = await CliRunner.RunAsync(null, "serve", "--help");

        Assert.Equal(0, code);
        foreach (var setting in new[] { "--urls", "--nats", "--log-format", "Herald:Store", "Herald:Sqlite:Path", "Herald:MaxConnections", "Herald:HeartbeatInterval", "Herald:Metrics:Path", "HERALD__SQLITE__PATH", "docs/configuration.md" })
        {
            Assert.Contains(setting, output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new[] { "--urlz", "http://127.0.0.1:0" }, "unknown option --urlz; did you mean --urls?")]
    [InlineData(new[] { "--natz", "nats://localhost:4222" }, "unknown option --natz; did you mean --nats?")]
    [InlineData(new[] { "--nats", "http://localhost:4222" }, "Herald:Nats:Url has 'http://localhost:4222'; each server is a nats://, tls://, ws:// or wss:// URL.")]
    [InlineData(new[] { "--nats", "nats://localhost:4222", "--Herald:Store=sqlite" }, "Herald:Store is 'sqlite' but Herald:Nats:Url is set")]
    [InlineData(new[] { "--Herald:Store=jetstream" }, "Herald:Store is 'jetstream' but Herald:Nats:Url is not set")]
    [InlineData(new[] { "stray" }, "unexpected argument 'stray'")]
    [InlineData(new[] { "--Herald:Store=memory", "--Herald:HeartbeatIntervl=00:00:10" }, "unknown setting Herald:HeartbeatIntervl; did you mean Herald:HeartbeatInterval?")]
    [InlineData(new[] { "--Herald:Store=memory", "--Herald:MaxMessageSize=100" }, "Herald:MaxMessageSize must be at least 256; it is 100.")]
    [InlineData(new[] { "--log-format", "xml" }, "xml")]
    public async Task AnUnknownOptionOrSettingOrABadValueExitsWithCode2NamingIt(string[] args, string expected)
    {
        var (code, _, error) = await CliRunner.RunAsync(null, ["serve", "--urls", "http://127.0.0.1:0", .. args]);

        Assert.Equal(HeraldCommandLine.UsageError, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
