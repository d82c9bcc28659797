namespace Herald;

/// <summary>A direct message to or from a session.</summary>
/// <param name="SessionId">The session the message is for (or came from).</param>
/// <param name="Time">When Herald accepted the message, in UTC.</param>
/// <param name="Data">The message body as UTF-8 JSON.</param>
public sealed record SessionMessage(string SessionId, DateTimeOffset Time, ReadOnlyMemory<byte> Data)
{
    /// <summary>Deserializes <see cref="Data"/>.</summary>
    /// <typeparam name="T">The type to read the body as.</typeparam>
    /// <param name="options">Serializer options; <see cref="System.Text.Json.JsonSerializerOptions.Web"/> when omitted.</param>
    public T? GetData<T>(System.Text.Json.JsonSerializerOptions? options = null)
        => System.Text.Json.JsonSerializer.Deserialize<T>(Data.Span, options ?? System.Text.Json.JsonSerializerOptions.Web);
}
