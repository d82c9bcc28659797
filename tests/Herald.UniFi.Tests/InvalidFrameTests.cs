using System.Text;

namespace Herald.UniFi.Tests;

public sealed class InvalidFrameTests
{
    [Theory]
    [InlineData("empty.json", UniFiFrameError.Empty)]
    [InlineData("invalid-json.json", UniFiFrameError.InvalidJson)]
    [InlineData("not-an-object.json", UniFiFrameError.NotAnObject)]
    [InlineData("missing-meta.json", UniFiFrameError.MissingMeta)]
    [InlineData("rc-error.json", UniFiFrameError.NotOk)]
    public void BadFramesAreSkippedWithAnErrorAndNoEvents(string file, UniFiFrameError error)
    {
        var result = Fixtures.Parse(Fixtures.Local(file));

        Assert.False(result.IsValid);
        Assert.Equal(error, result.Error);
        Assert.False(string.IsNullOrEmpty(result.ErrorDescription));
        Assert.Empty(result.Events);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \r\n\t")]
    [InlineData("\uFEFF")]
    public void WhitespaceOrBomOnlyFramesAreEmpty(string frame)
    {
        Assert.Equal(UniFiFrameError.Empty, Fixtures.Parse(Encoding.UTF8.GetBytes(frame)).Error);
    }

    [Theory]
    [InlineData("""{"meta":{"rc":"ok","message":"events"},"data":[]} {}""", UniFiFrameError.InvalidJson)]
    [InlineData("""{"meta":"events","data":[]}""", UniFiFrameError.MissingMeta)]
    [InlineData("""{"meta":{"rc":"ok"},"data":[]}""", UniFiFrameError.MissingMeta)]
    [InlineData("""{"meta":{"rc":"ok","message":"events"}}""", UniFiFrameError.InvalidData)]
    [InlineData("""{"meta":{"rc":"ok","message":"sta:sync"},"data":"x"}""", UniFiFrameError.InvalidData)]
    [InlineData("\"events\"", UniFiFrameError.NotAnObject)]
    public void MalformedEnvelopesAreRejected(string frame, UniFiFrameError error)
    {
        Assert.Equal(error, Fixtures.Parse(Encoding.UTF8.GetBytes(frame)).Error);
    }

    [Fact]
    public void RcErrorDescriptionCarriesTheControllerMessage()
    {
        var result = Fixtures.Parse(Fixtures.Local("rc-error.json"));

        Assert.Contains("api.err.LoginRequired", result.ErrorDescription, StringComparison.Ordinal);
    }

    [Fact]
    public void FrameWithAByteOrderMarkIsRead()
    {
        var frame = Encoding.UTF8.GetPreamble().Concat(Fixtures.Local("events-data-object.json")).ToArray();

        Assert.Single(Fixtures.Parse(frame).Events);
    }

    [Fact]
    public void DefaultFrameLimitIs4MiB()
    {
        Assert.Equal(4 * 1024 * 1024, UniFiParserOptions.DefaultMaxFrameBytes);
        Assert.Equal(UniFiParserOptions.DefaultMaxFrameBytes, new UniFiFrameParser().MaxFrameBytes);
    }

    [Fact]
    public void FrameOver4MiBIsRejectedWithoutParsingEvenWhenItHoldsAValidEvent()
    {
        var frame = PaddedConnectedFrame(UniFiParserOptions.DefaultMaxFrameBytes + 1);

        var result = Fixtures.Parse(frame);

        Assert.Equal(UniFiFrameError.Oversized, result.Error);
        Assert.Equal(frame.Length, result.FrameLength);
        Assert.Null(result.MessageType);
        Assert.Empty(result.Events);
    }

    [Fact]
    public void FrameOfExactlyTheLimitIsParsedAndOneByteMoreIsRejected()
    {
        var options = new UniFiParserOptions { MaxFrameBytes = 1000 };

        Assert.Single(Fixtures.Parse(PaddedConnectedFrame(1000), options).Events);
        Assert.Equal(UniFiFrameError.Oversized, Fixtures.Parse(PaddedConnectedFrame(1001), options).Error);
    }

    [Fact]
    public void ReaderCanReportAFrameItDroppedAtTheLimit()
    {
        var statistics = new UniFiParserStatistics();
        var parser = new UniFiFrameParser(statistics: statistics);

        var result = parser.RejectOversized(10L * 1024 * 1024);

        Assert.Equal(UniFiFrameError.Oversized, result.Error);
        Assert.Equal(1, statistics.OversizedFrames);
        Assert.Equal(0, statistics.InvalidFrames);
    }

    [Fact]
    public void PaddedFrameHelperBuildsAValidFrameOfTheRequestedLength()
    {
        var frame = PaddedConnectedFrame(1000);

        Assert.Equal(1000, frame.Length);
        Assert.Single(Fixtures.Parse(frame).Events);
    }

    private static byte[] PaddedConnectedFrame(int length)
    {
        const string Head = "{\"meta\":{\"rc\":\"ok\",\"message\":\"events\"},\"data\":[{\"key\":\"EVT_WU_Connected\",\"user\":\"00:00:00:00:00:01\",\"msg\":\"";
        const string Tail = "\"}]}";
        return Encoding.UTF8.GetBytes(Head + new string('x', length - Head.Length - Tail.Length) + Tail);
    }
}
