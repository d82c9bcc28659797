using System.Text;
using Herald.Benchmarks.Orchestrator;

namespace Herald.Benchmarks.Tests;

/// <summary>The ingest load reads each answer whole before it sends the next request on that connection.</summary>
public sealed class HttpResponseReaderTests
{
    [Fact]
    public void Answer_with_content_length_is_read_up_to_its_body_and_no_further()
    {
        const string Answer = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{\"id\":42}";
        var bytes = Encoding.ASCII.GetBytes(Answer + "HTTP/1.1 201");

        Assert.True(HttpResponseReader.TryRead(bytes, out var consumed, out var status));

        Assert.Equal(201, status);
        Assert.Equal(Answer.Length, consumed);
    }

    [Fact]
    public void Chunked_answer_is_read_through_its_last_chunk_and_trailers()
    {
        const string Answer = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nabcd\r\n2\r\nef\r\n0\r\nX-Trailer: 1\r\n\r\n";

        Assert.True(HttpResponseReader.TryRead(Encoding.ASCII.GetBytes(Answer), out var consumed, out var status));

        Assert.Equal(200, status);
        Assert.Equal(Answer.Length, consumed);
    }

    [Theory]
    [InlineData("HTTP/1.1 201 Created\r\nContent-Length: 9\r\n")]
    [InlineData("HTTP/1.1 201 Created\r\nContent-Length: 9\r\n\r\n{\"id\":")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nab")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n")]
    public void Partial_answer_asks_for_more_bytes(string partial)
    {
        Assert.False(HttpResponseReader.TryRead(Encoding.ASCII.GetBytes(partial), out var consumed, out _));
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void Answer_without_a_body_length_ends_with_its_head()
    {
        const string Answer = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n\r\n";

        Assert.True(HttpResponseReader.TryRead(Encoding.ASCII.GetBytes(Answer), out var consumed, out var status));

        Assert.Equal(503, status);
        Assert.Equal(Answer.Length, consumed);
    }

    [Theory]
    [InlineData("HTTP/1.0 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: nine\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")]
    public void Bytes_that_are_not_an_http_1_1_answer_are_refused(string answer)
    {
        Assert.Throws<IOException>(() => HttpResponseReader.TryRead(Encoding.ASCII.GetBytes(answer), out _, out _));
    }
}
