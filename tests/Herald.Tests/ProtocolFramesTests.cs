using System.Globalization;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Herald.Internal.Protocol;

namespace Herald.Tests;

/// <summary>The control frames the server and the .NET client both write come out as docs/protocol.md shows them.</summary>
public sealed class ProtocolFramesTests
{
    [Fact]
    public void ClientFramesAreTheJsonOfTheProtocolDocument()
    {
        Assert.Equal("""{"type":"subscribe","topics":["alerts/#"],"since":0}""", Text(ProtocolFrames.Subscribe(["alerts/#"], since: 0)));
        Assert.Equal("""{"type":"subscribe","topics":["alerts/#"],"ref":1}""", Text(ProtocolFrames.Subscribe(["alerts/#"], reference: "1"u8)));
        Assert.Equal("""{"type":"unsubscribe","topics":["alerts/#"]}""", Text(ProtocolFrames.Unsubscribe(["alerts/#"])));
        Assert.Equal("""{"type":"ping"}""", Text(ProtocolFrames.Ping()));
        Assert.Equal("""{"type":"pong"}""", Text(ProtocolFrames.Pong()));
        Assert.Equal("""{"type":"message","data":{"ack":42},"ref":"m1"}""", Text(ProtocolFrames.Message("""{"ack":42}"""u8, ProtocolFrames.Ref("m1"))));
        Assert.Equal(
            """{"type":"publish","data":{"topic":"t","type":"x","data":{}}}""",
            Text(ProtocolFrames.Publish("""{"topic":"t","type":"x","data":{}}"""u8)));
    }

    [Fact]
    public void MessageDataGivenAsAnElementIsWrittenAsTheSameJson()
    {
        using var data = JsonDocument.Parse("""{"text":"queued while you were away","n":[1,2.5,null]}""");

        Assert.Equal(
            """{"type":"message","data":{"text":"queued while you were away","n":[1,2.5,null]},"ref":"c7"}""",
            Text(ProtocolFrames.Message(data.RootElement, ProtocolFrames.Ref("c7"))));
    }

    [Fact]
    public void RawMessageDataAndRefAreWrittenVerbatim()
    {
        Assert.Equal("""{"type":"message","data":[1, 2]}""", Text(ProtocolFrames.Message("[1, 2]"u8)));
        Assert.Equal("""{"type":"pong","ref":{"k":[1,2]}}""", Text(ProtocolFrames.Pong(reference: """{"k":[1,2]}"""u8)));
    }

    [Fact]
    public void ServerPingAndPongCarryTheTimeInUtcAndPongEchoesTheRef()
    {
        var time = new DateTimeOffset(2026, 1, 25, 5, 55, 0, 123, TimeSpan.FromHours(2));

        using var ping = JsonDocument.Parse(ProtocolFrames.Ping(time));
        using var pong = JsonDocument.Parse(ProtocolFrames.Pong(time, "\"r1\""u8));

        Assert.Equal("ping", ping.RootElement.GetProperty("type").GetString());
        Assert.Equal("2026-01-25T03:55:00.123Z", ping.RootElement.GetProperty("timestamp").GetString());
        Assert.Equal("pong", pong.RootElement.GetProperty("type").GetString());
        Assert.Equal("2026-01-25T03:55:00.123Z", pong.RootElement.GetProperty("timestamp").GetString());
        Assert.Equal("r1", pong.RootElement.GetProperty("ref").GetString());
    }

    [Fact]
    public void ServerFramesWritePingPongAndMessageWithTheSharedEncoder()
    {
        var time = DateTimeOffset.UnixEpoch;

        Assert.Equal(ProtocolFrames.Ping(time), ServerFrames.Ping(time));
        Assert.Equal(ProtocolFrames.Pong(time, "5"u8), ServerFrames.Pong(time, "5"u8.ToArray()));
        Assert.Equal(ProtocolFrames.Message("{}"u8), ServerFrames.Message("{}"u8));
    }

    [Theory]
    [InlineData("c1", "\"c1\"")]
    [InlineData("say \"hi\"\\", "\"say \\u0022hi\\u0022\\\\\"")]
    [InlineData("", "\"\"")]
    public void StringRefIsQuotedAndEscapedJson(string value, string expected)
    {
        var reference = ProtocolFrames.Ref(value);

        Assert.Equal(expected, Text(reference));
        Assert.Equal(value, JsonDocument.Parse(reference).RootElement.GetString());
    }

    [Property(MaxTest = 500)]
    public Property EveryFrameTheEncoderWritesIsParsedBackByTheServerToTheSameFields()
        => Prop.ForAll(ProtocolFrameCase.Generator.ToArbitrary(), AssertParsesBack);

    private static void AssertParsesBack(ProtocolFrameCase expected)
    {
        var utf8 = expected.Write();

        var frame = ClientFrame.TryParse(utf8, out var error, out var reference);

        Assert.True(frame is not null, $"{error} in {Text(utf8)}");
        Assert.Equal(expected.Type, frame.Type);
        Assert.Equal(expected.Topics, frame.Topics);
        Assert.Equal(expected.Since, frame.Since);
        Assert.Equal(expected.RefJson ?? string.Empty, Text(frame.Ref.Span));
        Assert.Equal(expected.RefJson ?? string.Empty, Text(reference.Span));
        Assert.Equal(expected.DataJson ?? string.Empty, Text(frame.Data.Span));
        using var document = JsonDocument.Parse(utf8);
        var root = document.RootElement;
        Assert.Equal(expected.Timestamp is not null, root.TryGetProperty("timestamp", out var timestamp));
        if (expected.Timestamp is { } time)
        {
            Assert.Equal(time.UtcDateTime, DateTime.Parse(timestamp.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal));
        }

        // The type comes first and the ref, when there is one, last.
        var names = root.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal("type", names[0]);
        Assert.Equal(expected.RefJson is not null, names[^1] == "ref");
    }

    private static string Text(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);
}
