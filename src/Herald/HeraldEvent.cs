using System.Text.Json;

using Herald.Internal.Protocol;

namespace Herald;

/// <summary>
/// An event as Herald stored it: stamped with a hub-assigned, strictly increasing <see cref="Id"/>.
/// </summary>
public sealed class HeraldEvent
{
    /// <summary>Creates a stored event. Stores call this when they assign an id or read an event back.</summary>
    /// <param name="id">The hub-assigned id, greater than zero.</param>
    /// <param name="topic">The topic the event was published to.</param>
    /// <param name="type">The application-defined event type.</param>
    /// <param name="time">When the event happened (UTC).</param>
    /// <param name="source">Who produced the event, or <see langword="null"/>.</param>
    /// <param name="data">The payload as UTF-8 JSON.</param>
    /// <param name="storedAt">When the log accepted the event (see <see cref="StoredAt"/>); <see langword="null"/> when unknown.</param>
    public HeraldEvent(long id, string topic, string type, DateTimeOffset time, string? source, ReadOnlyMemory<byte> data, DateTimeOffset? storedAt = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(id);
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(type);
        Id = id;
        Topic = topic;
        Type = type;
        Time = time.ToUniversalTime();
        Source = source;
        Data = data.IsEmpty ? EventJson.Null : data;
        StoredAt = storedAt?.ToUniversalTime();
    }

    /// <summary>The hub-assigned id; strictly increasing in publish order and never reused.</summary>
    public long Id { get; }

    /// <summary>The topic, <c>/</c>-separated segments such as <c>cameras/front</c>.</summary>
    public string Topic { get; }

    /// <summary>The application-defined event type, such as <c>motion</c>.</summary>
    public string Type { get; }

    /// <summary>When the event happened, in UTC.</summary>
    public DateTimeOffset Time { get; }

    /// <summary>Who produced the event, or <see langword="null"/> when the producer did not say.</summary>
    public string? Source { get; }

    /// <summary>The payload as UTF-8 JSON (<c>null</c> when the producer sent none).</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Deserializes <see cref="Data"/>.</summary>
    /// <typeparam name="T">The type to read the payload as.</typeparam>
    /// <param name="options">Serializer options; <see cref="JsonSerializerOptions.Web"/> when omitted.</param>
    public T? GetData<T>(JsonSerializerOptions? options = null)
        => JsonSerializer.Deserialize<T>(Data.Span, options ?? JsonSerializerOptions.Web);

    /// <summary>
    /// When the log accepted the event, on the log's clock (UTC): set on events an append returns and a follow
    /// feed yields, so delivery latency is measured from it on every node; <see langword="null"/> on events read
    /// back from history. Not part of the event's JSON.
    /// </summary>
    public DateTimeOffset? StoredAt { get; }

    /// <summary>The event as the JSON object clients receive: <c>{"id","topic","type","time","source","data"}</c>.</summary>
    /// <returns>A new array on every call; Herald encodes each event once per fan-out and shares those bytes.</returns>
    public byte[] ToJsonUtf8() => EventJson.Write(this);
}
