using System.Text;
using Herald.Benchmarks.Orchestrator;

namespace Herald.Benchmarks.Tests;

/// <summary>The ingest load reads each answer whole before it sends the next request on that connection.</summary>
public sealed class HttpResponseReaderTests
{
    [Theory]
    [InlineData("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{\"id\":42}", 201)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nabcd\r\n2\r\nef\r\n0\r\nX-Trailer: 1\r\n\r\n", 200)]
    [InlineData("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n\r\n", 503)]
    public void WholeAnswerIsReadUpToItsEndAndNoFurther(string answer, int expectedStatus)
    {
        var bytes = Encoding.ASCII.GetBytes(answer + "HTTP/1.1 201");

        Assert.True(HttpResponseReader.TryRead(bytes, out var consumed, out var status));

        Assert.Equal(expectedStatus, status);
        Assert.Equal(answer.Length, consumed);
    }

    [Theory]
    [InlineData("HTTP/1.1 201 Created\r\nContent-Length: 9\r\n")]
    [InlineData("HTTP/1.1 201 Created\r\nContent-Length: 9\r\n\r\n{\"id\":")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nab")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n")]
    public void PartialAnswerAsksForMoreBytes(string partial)
    {
        Assert.False(HttpResponseReader.TryRead(Encoding.ASCII.GetBytes(partial), out var consumed, out _));
        Assert.Equal(0, consumed);
    }

    [Theory]
    [InlineData("HTTP/1.0 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: nine\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")]
    public void BytesThatAreNotAnHttp11AnswerAreRefused(string answer)
    {
        Assert.Throws<IOException>(() => HttpResponseReader.TryRead(Encoding.ASCII.GetBytes(answer), out _, out _));
    }
}
