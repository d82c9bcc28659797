using Microsoft.Extensions.Logging;

namespace Herald.UniFi.Tests;

public sealed class LoggingTests
{
    [Fact]
    public void InvalidFrameIsLoggedAsAWarningWithoutItsContent()
    {
        var logger = new ListLogger();
        var parser = new UniFiFrameParser(logger: logger);

        parser.Parse(Fixtures.Local("invalid-json.json"), Fixtures.ReceivedAt);

        var (level, id, message) = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Equal(5000, id.Id);
        Assert.Contains("InvalidJson", message, StringComparison.Ordinal);
        Assert.DoesNotContain("00:00:00:00:00:01", message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownMessageTypeIsLoggedAtDebugWithItsName()
    {
        var logger = new ListLogger();

        new UniFiFrameParser(logger: logger).Parse(Fixtures.Local("device-sync.json"), Fixtures.ReceivedAt);

        var (level, id, message) = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Debug, level);
        Assert.Equal(5001, id.Id);
        Assert.Contains("device:sync", message, StringComparison.Ordinal);
    }

    [Fact]
    public void GoodFrameLogsNothing()
    {
        var logger = new ListLogger();

        new UniFiFrameParser(logger: logger).Parse(Fixtures.Controller("events-wu-connected.json"), Fixtures.ReceivedAt);

        Assert.Empty(logger.Entries);
    }
}
