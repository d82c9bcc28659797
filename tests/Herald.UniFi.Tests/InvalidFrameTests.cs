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
    public void Bad_frames_are_skipped_with_an_error_and_no_events(string file, UniFiFrameError error)
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
    public void Whitespace_or_bom_only_frames_are_empty(string frame)
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
    public void Malformed_envelopes_are_rejected(string frame, UniFiFrameError error)
    {
        Assert.Equal(error, Fixtures.Parse(Encoding.UTF8.GetBytes(frame)).Error);
    }

    [Fact]
    public void Rc_error_description_carries_the_controller_message()
    {
        var result = Fixtures.Parse(Fixtures.Local("rc-error.json"));

        Assert.Contains("api.err.LoginRequired", result.ErrorDescription, StringComparison.Ordinal);
    }

    [Fact]
    public void Frame_with_a_byte_order_mark_is_read()
    {
        var frame = Encoding.UTF8.GetPreamble().Concat(Fixtures.Local("events-data-object.json")).ToArray();

        Assert.Single(Fixtures.Parse(frame).Events);
    }

    [Fact]
    public void Default_frame_limit_is_4_MiB()
    {
        Assert.Equal(4 * 1024 * 1024, UniFiParserOptions.DefaultMaxFrameBytes);
        Assert.Equal(UniFiParserOptions.DefaultMaxFrameBytes, new UniFiFrameParser().MaxFrameBytes);
    }

    [Fact]
    public void Frame_over_4_MiB_is_rejected_without_parsing_even_when_it_holds_a_valid_event()
    {
        var frame = PaddedConnectedFrame(UniFiParserOptions.DefaultMaxFrameBytes + 1);

        var result = Fixtures.Parse(frame);

        Assert.Equal(UniFiFrameError.Oversized, result.Error);
        Assert.Equal(frame.Length, result.FrameLength);
        Assert.Null(result.MessageType);
        Assert.Empty(result.Events);
    }

    [Fact]
    public void Frame_of_exactly_the_limit_is_parsed_and_one_byte_more_is_rejected()
    {
        var options = new UniFiParserOptions { MaxFrameBytes = 1000 };

        Assert.Single(Fixtures.Parse(PaddedConnectedFrame(1000), options).Events);
        Assert.Equal(UniFiFrameError.Oversized, Fixtures.Parse(PaddedConnectedFrame(1001), options).Error);
    }

    [Fact]
    public void Reader_can_report_a_frame_it_dropped_at_the_limit()
    {
        var statistics = new UniFiParserStatistics();
        var parser = new UniFiFrameParser(statistics: statistics);

        var result = parser.RejectOversized(10L * 1024 * 1024);

        Assert.Equal(UniFiFrameError.Oversized, result.Error);
        Assert.Equal(1, statistics.OversizedFrames);
        Assert.Equal(0, statistics.InvalidFrames);
    }

    [Fact]
    public void Padded_frame_helper_builds_a_valid_frame_of_the_requested_length()
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
