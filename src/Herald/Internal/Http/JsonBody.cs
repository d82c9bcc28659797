using System.Buffers;
using System.Text.Json;
using Herald.Internal.Protocol;
using Microsoft.AspNetCore.Http;

namespace Herald.Internal.Http;

/// <summary>A JSON answer whose parts may already be UTF-8 JSON (stored events), written without re-serializing them.</summary>
internal sealed class JsonBody(int status, byte[] body) : IResult
{
    public static JsonBody Write(int status, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return new JsonBody(status, buffer.WrittenSpan.ToArray());
    }

    public static void WriteEvent(Utf8JsonWriter writer, HeraldEvent e) => EventJson.WriteObject(writer, e);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = status;
        httpContext.Response.ContentType = "application/json";
        httpContext.Response.ContentLength = body.Length;
        await httpContext.Response.Body.WriteAsync(body).ConfigureAwait(false);
    }
}
