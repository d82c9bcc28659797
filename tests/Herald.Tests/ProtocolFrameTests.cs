using System.Text;
using System.Text.Json;
using Herald.Internal.Protocol;

namespace Herald.Tests;

public sealed class ProtocolFrameTests
{
    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("42")]
    [InlineData("{\"k\":[1,2]}")]
    public void RefIsEchoedVerbatimForStringsNumbersAndObjects(string refJson)
    {
        var frame = Parse($"{{\"type\":\"ping\",\"ref\":{refJson}}}");

        using var pong = JsonDocument.Parse(ServerFrames.Pong(DateTimeOffset.UnixEpoch, frame.Ref));
        Assert.Equal(refJson, pong.RootElement.GetProperty("ref").GetRawText());
        using var ack = JsonDocument.Parse(ServerFrames.Ack(frame.Ref));
        Assert.Equal(refJson, ack.RootElement.GetProperty("ref").GetRawText());
    }

    [Fact]
    public void SubscribeFrameRoundTripsTopicsSinceAndData()
    {
        var frame = Parse("""{"type":"subscribe","topics":["a/+","b/#"],"since":12,"data":{"x":1}}""");

        Assert.Equal("subscribe", frame.Type);
        Assert.Equal(["a/+", "b/#"], frame.Topics);
        Assert.Equal(12, frame.Since);
        Assert.Equal("""{"x":1}""", Encoding.UTF8.GetString(frame.Data.Span));
        Assert.True(frame.Ref.IsEmpty);
    }

    [Fact]
    public void TopicsMayBeACommaSeparatedString()
    {
        Assert.Equal(["a", "b/+"], Parse("""{"type":"subscribe","topics":"a,b/+"}""").Topics);
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("[]", "JSON object")]
    [InlineData("{}", "string 'type'")]
    [InlineData("{\"type\":null}", "string 'type'")]
    [InlineData("{\"type\":\"subscribe\",\"topics\":[1]}", "array of strings")]
    [InlineData("{\"type\":\"subscribe\",\"topics\":{}}", "array of strings")]
    [InlineData("{\"type\":\"subscribe\",\"since\":\"1\"}", "'since'")]
    [InlineData("{\"type\":\"subscribe\",\"since\":1.5}", "'since'")]
    [InlineData("{\"type\":\"subscribe\",\"since\":-1}", "'since'")]
    public void InvalidFramesAreReportedWithTheReason(string json, string reason)
    {
        Assert.Null(ClientFrame.TryParse(Encoding.UTF8.GetBytes(json), out var error, out _));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void RefOfAnInvalidFrameIsStillReturnedForTheError()
    {
        Assert.Null(ClientFrame.TryParse("""{"ref":"r9"}"""u8, out _, out var reference));

        using var error = JsonDocument.Parse(ServerFrames.Error(ErrorCodes.BadRequest, "m", reference));
        Assert.Equal("r9", error.RootElement.GetProperty("ref").GetString());
        Assert.Equal("bad_request", error.RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public void ServerFramesAreTheDocumentedJson()
    {
        using var welcome = JsonDocument.Parse(ServerFrames.Welcome("c1", "s1", "tok", TimeSpan.FromMilliseconds(1500)));
        Assert.Equal("welcome", welcome.RootElement.GetProperty("type").GetString());
        Assert.Equal("c1", welcome.RootElement.GetProperty("connectionId").GetString());
        Assert.Equal("s1", welcome.RootElement.GetProperty("sessionId").GetString());
        Assert.Equal("tok", welcome.RootElement.GetProperty("resumeToken").GetString());
        Assert.Equal(2, welcome.RootElement.GetProperty("heartbeat").GetInt32());

        var e = new HeraldEvent(7, "a/b", "t", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), "src", """{"n":1}"""u8.ToArray());
        using var eventFrame = JsonDocument.Parse(ServerFrames.Event(e));
        Assert.Equal("event", eventFrame.RootElement.GetProperty("type").GetString());
        var data = eventFrame.RootElement.GetProperty("data");
        Assert.Equal(7, data.GetProperty("id").GetInt64());
        Assert.Equal("a/b", data.GetProperty("topic").GetString());
        Assert.Equal("src", data.GetProperty("source").GetString());
        Assert.Equal(1, data.GetProperty("data").GetProperty("n").GetInt32());

        using var message = JsonDocument.Parse(ServerFrames.Message("[1,2]"u8));
        Assert.Equal(2, message.RootElement.GetProperty("data").GetArrayLength());

        using var single = JsonDocument.Parse(ServerFrames.Published([5], default));
        Assert.Equal(5, single.RootElement.GetProperty("id").GetInt64());
        Assert.False(single.RootElement.TryGetProperty("ids", out _));
        Assert.False(single.RootElement.TryGetProperty("ref", out _));
        using var batch = JsonDocument.Parse(ServerFrames.Published([5, 6], "1"u8.ToArray()));
        Assert.Equal(6, batch.RootElement.GetProperty("id").GetInt64());
        Assert.Equal(2, batch.RootElement.GetProperty("ids").GetArrayLength());
        Assert.Equal(1, batch.RootElement.GetProperty("ref").GetInt32());

        using var resumed = JsonDocument.Parse(ServerFrames.Resumed(3, 9, complete: false, default));
        Assert.Equal(3, resumed.RootElement.GetProperty("since").GetInt64());
        Assert.Equal(9, resumed.RootElement.GetProperty("lastId").GetInt64());
        Assert.False(resumed.RootElement.GetProperty("complete").GetBoolean());

        using var unsubscribed = JsonDocument.Parse(ServerFrames.Subscription(subscribed: false, ["a/+"], default));
        Assert.Equal("unsubscribed", unsubscribed.RootElement.GetProperty("type").GetString());
        Assert.Equal("a/+", unsubscribed.RootElement.GetProperty("topics")[0].GetString());
    }

    private static ClientFrame Parse(string json)
    {
        var frame = ClientFrame.TryParse(Encoding.UTF8.GetBytes(json), out var error, out _);
        Assert.True(frame is not null, error);
        return frame;
    }
}
