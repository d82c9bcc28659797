namespace Herald.Client;

/// <summary>The server refused a request, or the connection ended before it answered.</summary>
public sealed class HeraldClientException : Exception
{
    /// <summary>Creates an exception with no details.</summary>
    public HeraldClientException()
        : this("The Herald server refused the request.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public HeraldClientException(string message)
        : this(message, null, null, null)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public HeraldClientException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a server answer.</summary>
    /// <param name="message">What went wrong (the problem's <c>detail</c> or the error frame's <c>message</c>).</param>
    /// <param name="code">The protocol error code (WebSocket) such as <c>forbidden</c>; null for HTTP answers.</param>
    /// <param name="statusCode">The HTTP status code; null for WebSocket errors.</param>
    /// <param name="title">The problem's <c>title</c> (HTTP).</param>
    public HeraldClientException(string message, string? code, int? statusCode, string? title)
        : base(message)
    {
        Code = code;
        StatusCode = statusCode;
        Title = title;
    }

    /// <summary>The protocol error code of an <c>error</c> frame (<c>bad_request</c>, <c>forbidden</c>, ...), or <c>connection_lost</c>.</summary>
    public string? Code { get; }

    /// <summary>The HTTP status code of a refused HTTP request.</summary>
    public int? StatusCode { get; }

    /// <summary>The problem-details <c>title</c> of a refused HTTP request.</summary>
    public string? Title { get; }
}
