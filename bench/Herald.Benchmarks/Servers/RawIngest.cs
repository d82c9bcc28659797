using System.Runtime.InteropServices;
using System.Text.Json;

namespace Herald.Benchmarks.Servers;

/// <summary>
/// The raw server's <c>POST /api/events</c>: the HTTP work Herald's publish endpoint does, without the publish pipeline
/// or a store. It parses the body as one event or an array of them, checks each has a topic and a type, copies its
/// data, numbers it and answers 201 with <c>{"ids":[…]}</c>, as Herald answers. The ingest scenario sets Herald's
/// durable ingest against it.
/// </summary>
public static class RawIngest
{
    private static long _lastId;

    public static async Task HandleAsync(HttpContext context)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        var ids = new List<long>();
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in root.EnumerateArray())
                {
                    if (!TryTake(item, ids))
                    {
                        context.Response.StatusCode = StatusCodes.Status400BadRequest;
                        return;
                    }
                }
            }
            else if (!TryTake(root, ids))
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
        }
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteStartArray("ids"u8);
        foreach (var id in ids)
        {
            writer.WriteNumberValue(id);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private static bool TryTake(JsonElement item, List<long> ids)
    {
        if (item.ValueKind != JsonValueKind.Object
            || !item.TryGetProperty("topic"u8, out var topic) || topic.ValueKind != JsonValueKind.String || topic.GetString() is not { Length: > 0 }
            || !item.TryGetProperty("type"u8, out var type) || type.ValueKind != JsonValueKind.String
            || !item.TryGetProperty("data"u8, out var data))
        {
            return false;
        }
        // What a store would keep: the data's own bytes.
        _ = JsonMarshal.GetRawUtf8Value(data).ToArray();
        ids.Add(Interlocked.Increment(ref _lastId));
        return true;
    }
}
