using System.Text;
using Herald.Internal.Publishing;

namespace Herald.Tests;

public sealed class EventInputTests
{
    [Fact]
    public void OneObjectBecomesOneEvent()
    {
        Assert.True(Parse("""{"topic":"a/b","type":"t","data":{"n":1},"time":"2026-01-25T04:54:30.123+01:00","source":"s"}""", out var events, out _));

        var e = Assert.Single(events);
        Assert.Equal("a/b", e.Topic);
        Assert.Equal("t", e.Type);
        Assert.Equal("""{"n":1}""", Encoding.UTF8.GetString(e.Data.Span));
        Assert.Equal(new DateTimeOffset(2026, 1, 25, 3, 54, 30, 123, TimeSpan.Zero), e.Time);
        Assert.Equal(TimeSpan.Zero, e.Time!.Value.Offset);
        Assert.Equal("s", e.Source);
    }

    [Fact]
    public void MissingDataIsNullAndMissingTimeIsNow()
    {
        Assert.True(Parse("""[{"topic":"a","type":"t"},{"topic":"b","type":"t","time":null,"source":null}]""", out var events, out _));

        Assert.Equal(["a", "b"], events.Select(e => e.Topic));
        Assert.All(events, e => Assert.Equal("null", Encoding.UTF8.GetString(e.Data.Span)));
        Assert.All(events, e => Assert.Equal(DateTimeOffset.UnixEpoch, e.Time));
        Assert.All(events, e => Assert.Null(e.Source));
    }

    [Theory]
    [InlineData("", "event object or an array")]
    [InlineData("not json", "not valid JSON")]
    [InlineData("\"text\"", "event object or an array")]
    [InlineData("[]", "between 1 and")]
    [InlineData("[1]", "Event [0]: an event must be a JSON object")]
    [InlineData("{\"type\":\"t\"}", "'topic' is required")]
    [InlineData("{\"topic\":5,\"type\":\"t\"}", "'topic' is required")]
    [InlineData("{\"topic\":\"a/+\",\"type\":\"t\"}", "wildcard")]
    [InlineData("{\"topic\":\"a\"}", "'type' is required")]
    [InlineData("{\"topic\":\"a\",\"type\":\"  \"}", "'type' is required")]
    [InlineData("{\"topic\":\"a\",\"type\":\"t\",\"time\":\"soon\"}", "ISO-8601")]
    [InlineData("{\"topic\":\"a\",\"type\":\"t\",\"time\":5}", "ISO-8601")]
    [InlineData("{\"topic\":\"a\",\"type\":\"t\",\"source\":1}", "'source' must be a string")]
    [InlineData("[{\"topic\":\"a\",\"type\":\"t\"},{\"topic\":\"a b\",\"type\":\"t\"}]", "Event [1]: ")]
    public void InvalidInputIsRejectedWithTheReason(string json, string reason)
    {
        Assert.False(Parse(json, out var events, out var error));
        Assert.Null(events);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TooManyEventsAreRejected()
    {
        var json = "[" + string.Join(',', Enumerable.Repeat("""{"topic":"a","type":"t"}""", EventInput.MaxEventsPerRequest + 1)) + "]";

        Assert.False(Parse(json, out _, out var error));
        Assert.Contains(EventInput.MaxEventsPerRequest.ToString(System.Globalization.CultureInfo.InvariantCulture), error, StringComparison.Ordinal);
    }

    private static bool Parse(string json, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out List<NewEvent>? events, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
        => EventInput.TryParseMany(Encoding.UTF8.GetBytes(json), new FixedTime(), out events, out error);

    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch;
    }
}
