using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
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
    [InlineData("[]", "it is empty")]
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
    public void TooManyEventsAreRefusedAsTooLarge()
    {
        var options = new HeraldOptions { MaxEventsPerRequest = 3 };
        var json = "[" + string.Join(',', Enumerable.Repeat("""{"topic":"a","type":"t"}""", 4)) + "]";

        var error = EventInput.Parse(Encoding.UTF8.GetBytes(json), options, new FixedTime(), out var events);

        Assert.Null(events);
        Assert.Equal(413, error?.Status);
        Assert.Contains("Herald:MaxEventsPerRequest", error!.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"topic":"a","type":"\ud800"}""", "'type'")]
    [InlineData("""{"topic":"a","type":"t","source":"x\udc00y"}""", "'source'")]
    [InlineData("""{"topic":"a\ud83d","type":"t"}""", "'topic'")]
    [InlineData("""{"topic":"a","type":"t","data":{"k":"\udfff"}}""", "'data'")]
    [InlineData("""{"topic":"a","type":"t","data":{"\ud800":1}}""", "'data'")]
    public void ALoneSurrogateEscapeInAnyStringIsRefusedAsInvalidUnicode(string json, string field)
    {
        var error = EventInput.Parse(Encoding.UTF8.GetBytes(json), new HeraldOptions(), new FixedTime(), out _);

        Assert.Equal(400, error?.Status);
        Assert.Contains(field + " holds text that is not valid Unicode", error!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8IsRefusedBeforeItIsParsed()
    {
        byte[] json = [.. Encoding.ASCII.GetBytes("{\"topic\":\"a\",\"type\":\""), 0xC3, 0x28, .. "\"}"u8];

        var error = EventInput.Parse(json, new HeraldOptions(), new FixedTime(), out _);

        Assert.Equal(400, error?.Status);
        Assert.Contains("not valid UTF-8", error!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void EscapedSurrogatePairsAndOtherEscapesAreKeptAsSent()
    {
        const string Data = """{"smile":"\ud83d\ude00","quote":"\"\\u0041"}""";

        Assert.True(Parse($$"""{"topic":"a","type":"\u00e9\ud83d\ude00","data":{{Data}}}""", out var events, out var error), error);

        Assert.Equal("é😀", events[0].Type);
        Assert.Equal(Data, Encoding.UTF8.GetString(events[0].Data.Span));
    }

    [Fact]
    public void EachFieldIsBoundedByItsSetting()
    {
        var options = new HeraldOptions { MaxEventTypeLength = 4, MaxEventSourceLength = 5, MaxEventSize = 10 };
        string[] json =
        [
            """{"topic":"a","type":"12345"}""",
            """{"topic":"a","type":"t","source":"123456"}""",
            """{"topic":"a","type":"t","data":"123456789"}""",
        ];

        var errors = json.Select(j => EventInput.Parse(Encoding.UTF8.GetBytes(j), options, new FixedTime(), out _)).ToList();

        Assert.Equal([400, 400, 413], errors.Select(e => e?.Status));
        Assert.Contains("Herald:MaxEventTypeLength", errors[0]!.Detail, StringComparison.Ordinal);
        Assert.Contains("Herald:MaxEventSourceLength", errors[1]!.Detail, StringComparison.Ordinal);
        Assert.Contains("'data' is 11 bytes; the most is 10 (Herald:MaxEventSize)", errors[2]!.Detail, StringComparison.Ordinal);
        Assert.Null(EventInput.Parse("""{"topic":"a","type":"1234","source":"12345","data":"12345678"}"""u8.ToArray(), options, new FixedTime(), out _));
    }

    /// <summary>Any text at all in a string field: the event is read with that text, or refused with a 400, never an exception.</summary>
    [Property(MaxTest = 500)]
    public Property AnyTextInAFieldIsReadBackOrRefusedWithA400()
        => Prop.ForAll(Text.ToArbitrary(), Gen.Elements("topic", "type", "source").ToArbitrary(), (text, field) =>
        {
            var fields = new Dictionary<string, string> { ["topic"] = "a", ["type"] = "t", ["source"] = "s", [field] = text };
            var json = "{" + string.Join(',', fields.Select(f => $"\"{f.Key}\":{Escape(f.Value)}")) + "}";

            var error = EventInput.Parse(Encoding.UTF8.GetBytes(json), new HeraldOptions(), new FixedTime(), out var events);

            if (error is not null)
            {
                Assert.Equal(400, error.Status);
                return;
            }

            var e = Assert.Single(events!);
            Assert.Equal(text, field switch { "topic" => e.Topic, "type" => e.Type, _ => e.Source });
        });

    /// <summary>Text as a hostile client writes it: any UTF-16 code units, lone surrogates included.</summary>
    private static readonly Gen<string> Text = Gen.OneOf(
            Gen.Choose(0, 0xFFFF).Select(c => (char)c),
            Gen.Elements('\ud800', '\udbff', '\udc00', '\udfff', 'a', '/', '"', '\\'))
        .ListOf()
        .Select(chars => new string([.. chars.Take(40)]));

    /// <summary>A JSON string literal of <paramref name="text"/> with every character escaped, so lone surrogates survive as <c>\uXXXX</c>.</summary>
    private static string Escape(string text) => "\"" + string.Concat(text.Select(c => $"\\u{(int)c:x4}")) + "\"";

    private static bool Parse(string json, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out List<NewEvent>? events, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
        => EventInput.TryParseMany(Encoding.UTF8.GetBytes(json), new HeraldOptions(), new FixedTime(), out events, out error);

    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch;
    }
}
