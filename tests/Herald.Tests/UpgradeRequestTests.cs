using System.Buffers;
using System.Text;
using Herald.Internal.Transports.Direct;

namespace Herald.Tests;

public sealed class UpgradeRequestTests
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";
    private static readonly byte[] Prefix = "GET /ws/events"u8.ToArray();

    private static string Handshake(string target = "/ws/events?topics=a/%23&since=5", string extra = "")
        => $"GET {target} HTTP/1.1\r\nHost: herald:8000\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {Key}\r\nOrigin: http://app\r\nUser-Agent: test/1\r\n{extra}\r\n";

    private static UpgradeParse Parse(string text, out UpgradeRequest? request, out long consumed)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text));
        var result = UpgradeRequest.TryParse(buffer, Prefix, HeadLimits.Default, out request, out var end);
        consumed = result == UpgradeParse.Ours ? buffer.Slice(0, end).Length : 0;
        return result;
    }

    [Fact]
    public void ValidHandshakeIsTakenWithItsQueryAndHeadersAndTheFrameAfterItIsLeft()
    {
        var head = Handshake();

        var result = Parse(head + "\x81\x80frame", out var request, out var consumed);

        Assert.Equal(UpgradeParse.Ours, result);
        Assert.NotNull(request);
        Assert.Equal("?topics=a/%23&since=5", request.Query);
        Assert.Equal("herald:8000", request.Host);
        Assert.Equal(Key, request.Key);
        Assert.Equal("http://app", request.Origin);
        Assert.Equal("test/1", request.UserAgent);
        Assert.Equal(head.Length, consumed);
    }

    [Fact]
    public void HandshakeWithoutQueryIsTaken()
    {
        Assert.Equal(UpgradeParse.Ours, Parse(Handshake("/ws/events"), out var request, out _));
        Assert.Equal("", request!.Query);
    }

    [Fact]
    public void HandshakeSplitOverSegmentsIsReadWhole()
    {
        var bytes = Encoding.ASCII.GetBytes(Handshake());
        var buffer = BufferSegment.Split(bytes, [20]);

        Assert.Equal(UpgradeParse.Ours, UpgradeRequest.TryParse(buffer, Prefix, HeadLimits.Default, out var request, out var end));
        Assert.Equal(Key, request!.Key);
        Assert.Equal(bytes.Length, buffer.Slice(0, end).Length);
    }

    [Theory]
    [InlineData("G")]
    [InlineData("GET /ws/ev")]
    [InlineData("GET /ws/events?topics=a HTTP/1.1\r\nHost: x\r\n")]
    public void IncompleteHeadThatMayBeOursAsksForMore(string text)
    {
        Assert.Equal(UpgradeParse.NeedMore, Parse(text, out _, out _));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("GET /api/health HTTP/1.1\r\n")]
    [InlineData("GET /ws/eventsX HTTP/1.1\r\n")]
    [InlineData("PRI * HTTP/2.0\r\n")]
    [InlineData("\x16\x03\x01\x02\x00\x01")]
    public void OtherRequestsAreLeftToTheHttpLayerFromTheirFirstBytes(string text)
    {
        Assert.Equal(UpgradeParse.NotOurs, Parse(text, out _, out _));
    }

    [Theory]
    [InlineData("Sec-WebSocket-Key", "c2hvcnQ=")]
    [InlineData("Sec-WebSocket-Version", "8")]
    [InlineData("Upgrade", "h2c")]
    [InlineData("Connection", "keep-alive")]
    public void HandshakeWithAnInvalidUpgradeHeaderIsLeftToTheHttpLayer(string name, string value)
    {
        var lines = Handshake().Split("\r\n").Select(l => l.StartsWith(name + ":", StringComparison.Ordinal) ? $"{name}: {value}" : l);

        Assert.Equal(UpgradeParse.NotOurs, Parse(string.Join("\r\n", lines), out _, out _));
    }

    [Theory]
    [InlineData("Host: other\r\n")]
    [InlineData("Content-Length: 5\r\n")]
    [InlineData("Transfer-Encoding: chunked\r\n")]
    [InlineData(" folded\r\n")]
    [InlineData("Bad Header : x\r\n")]
    public void HandshakeWithRepeatedBodyOrMalformedHeadersIsLeftToTheHttpLayer(string extra)
    {
        Assert.Equal(UpgradeParse.NotOurs, Parse(Handshake(extra: extra), out _, out _));
    }

    [Fact]
    public void HttpOneZeroAndMissingHostAreLeftToTheHttpLayer()
    {
        Assert.Equal(UpgradeParse.NotOurs, Parse(Handshake().Replace("HTTP/1.1", "HTTP/1.0", StringComparison.Ordinal), out _, out _));
        Assert.Equal(UpgradeParse.NotOurs, Parse(Handshake().Replace("Host: herald:8000\r\n", "", StringComparison.Ordinal), out _, out _));
    }

    [Fact]
    public void HeadLongerThanTheLimitIsLeftToTheHttpLayer()
    {
        var padding = $"X-Padding: {new string('a', UpgradeRequest.MaxHeadBytes)}\r\n";

        Assert.Equal(UpgradeParse.NotOurs, Parse(Handshake(extra: padding), out _, out _));
        Assert.Equal(UpgradeParse.NotOurs, Parse(Handshake(extra: padding)[..^2], out _, out _));
    }

    [Fact]
    public void HeadsPastKestrelsLineHeaderSizeOrCountLimitsAreLeftToKestrelWhichRefusesThem()
    {
        var head = Handshake();
        var lineLength = head.IndexOf("\r\n", StringComparison.Ordinal) + 2;
        // Kestrel lets the header lines and the empty line past MaxRequestHeadersTotalSize by that line's two bytes.
        var headersLength = head.Length - lineLength - 2;
        var headers = head.Split("\r\n").Length - 3;

        Assert.Equal(UpgradeParse.Ours, Parse(head, HeadLimits.Default with { MaxRequestLineSize = lineLength, MaxRequestHeadersTotalSize = headersLength, MaxRequestHeaderCount = headers }));
        Assert.Equal(UpgradeParse.NotOurs, Parse(head, HeadLimits.Default with { MaxRequestLineSize = lineLength - 1 }));
        Assert.Equal(UpgradeParse.NotOurs, Parse(head, HeadLimits.Default with { MaxRequestHeadersTotalSize = headersLength - 1 }));
        Assert.Equal(UpgradeParse.NotOurs, Parse(head, HeadLimits.Default with { MaxRequestHeaderCount = headers - 1 }));
    }

    private static UpgradeParse Parse(string text, HeadLimits limits)
        => UpgradeRequest.TryParse(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text)), Prefix, limits, out _, out _);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
