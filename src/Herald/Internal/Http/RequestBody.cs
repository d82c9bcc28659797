using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Herald.Internal.Http;

/// <summary>
/// A request body read whole into a pooled buffer, at most a limit long: refused from its <c>Content-Length</c> before
/// a byte is read, or as soon as more than the limit has arrived, so one request never holds more than the limit.
/// Dispose it to return the buffer.
/// </summary>
internal sealed class RequestBody : IDisposable
{
    private byte[]? _buffer;

    private RequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>Reads the body of <paramref name="request"/>, or writes nothing and returns the 413 to answer.</summary>
    /// <param name="request">The request.</param>
    /// <param name="limit">The most bytes allowed.</param>
    /// <param name="setting">The setting that holds <paramref name="limit"/>, named in the refusal.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<(RequestBody? Body, IResult? Refusal)> ReadAsync(HttpRequest request, int limit, string setting, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return (null, TooLarge(request, limit, setting));
        }

        // Kestrel's own limit (30 MB unless set) would refuse with an empty 413 before Herald's problem details.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false, MaxRequestBodySize: { } kestrel } size && kestrel < limit)
        {
            size.MaxRequestBodySize = limit;
        }

        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length > limit)
            {
                reader.AdvanceTo(buffer.End);
                return (null, TooLarge(request, limit, setting));
            }

            if (result.IsCompleted)
            {
                var length = (int)buffer.Length;
                var copy = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
                buffer.CopyTo(copy);
                reader.AdvanceTo(buffer.End);
                return (new RequestBody(copy, length), null);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static IResult TooLarge(HttpRequest request, int limit, string setting)
    {
        // The rest of the body is not worth reading: the connection closes after the answer.
        request.HttpContext.Response.Headers.Connection = "close";
        return Problems.Result(StatusCodes.Status413PayloadTooLarge, "Content too large", $"The body is larger than {limit} bytes, the most this server accepts here ({setting}).");
    }
}
