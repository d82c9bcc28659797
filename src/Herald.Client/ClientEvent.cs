using System.Text.Json;

namespace Herald.Client;

/// <summary>An event received from the server.</summary>
/// <param name="Id">The event id; strictly increasing.</param>
/// <param name="Topic">The topic, for example <c>cameras/front</c>.</param>
/// <param name="Type">The event type, for example <c>motion</c>.</param>
/// <param name="Time">When the event happened (UTC).</param>
/// <param name="Source">Who published it, if given.</param>
/// <param name="Data">The event's data (a detached copy, safe to keep).</param>
/// <param name="Json">The event object exactly as the server sent it.</param>
public sealed record ClientEvent(long Id, string Topic, string Type, DateTimeOffset Time, string? Source, JsonElement Data, string Json)
{
    /// <summary>Deserializes <see cref="Data"/>.</summary>
    /// <typeparam name="T">The type to read.</typeparam>
    /// <param name="options">Serializer options; <see cref="JsonSerializerOptions.Web"/> by default.</param>
    public T? GetData<T>(JsonSerializerOptions? options = null) => Data.Deserialize<T>(options ?? JsonSerializerOptions.Web);

    /// <summary>Reads the <c>data</c> object of an <c>event</c> frame.</summary>
    internal static ClientEvent Parse(JsonElement e)
    {
        var time = e.TryGetProperty("time", out var t) && t.ValueKind == JsonValueKind.String ? t.GetDateTimeOffset() : DateTimeOffset.MinValue;
        var source = e.TryGetProperty("source", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        var data = e.TryGetProperty("data", out var d) ? d.Clone() : default;
        return new ClientEvent(
            e.GetProperty("id").GetInt64(),
            e.GetProperty("topic").GetString() ?? string.Empty,
            e.GetProperty("type").GetString() ?? string.Empty,
            time,
            source,
            data,
            e.GetRawText());
    }
}
