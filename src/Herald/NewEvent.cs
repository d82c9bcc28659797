using System.Text.Json;
using System.Runtime.InteropServices;

using Herald.Internal.Protocol;

namespace Herald;

/// <summary>An event to publish; Herald assigns its id when it is stored.</summary>
public sealed class NewEvent
{
    /// <summary>Creates an event whose payload is already UTF-8 JSON.</summary>
    /// <param name="topic">The topic: <c>/</c>-separated, non-empty segments without wildcards.</param>
    /// <param name="type">The application-defined event type (non-empty).</param>
    /// <param name="data">The payload as one UTF-8 JSON value; empty means <c>null</c>.</param>
    /// <exception cref="ArgumentException">The topic, type or payload is invalid.</exception>
    public NewEvent(string topic, string type, ReadOnlyMemory<byte> data)
        : this(topic, type, data, validateData: true)
    {
    }

    /// <summary>Creates an event from a JSON payload.</summary>
    /// <param name="topic">The topic: <c>/</c>-separated, non-empty segments without wildcards.</param>
    /// <param name="type">The application-defined event type (non-empty).</param>
    /// <param name="data">The payload.</param>
    public NewEvent(string topic, string type, JsonElement data)
        : this(topic, type, RawJson(data), validateData: false)
    {
    }

    internal NewEvent(string topic, string type, ReadOnlyMemory<byte> data, bool validateData)
    {
        TopicName.Validate(topic);
        if (string.IsNullOrWhiteSpace(type))
        {
            throw new ArgumentException("An event needs a non-empty type.", nameof(type));
        }

        if (validateData && !data.IsEmpty && !EventJson.IsSingleValue(data.Span))
        {
            throw new ArgumentException("The payload is not a single valid JSON value.", nameof(data));
        }

        Topic = topic;
        Type = type;
        Data = data.IsEmpty ? EventJson.Null : data;
    }

    /// <summary>Creates an event whose payload is <paramref name="data"/> serialized as JSON.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="topic">The topic.</param>
    /// <param name="type">The event type.</param>
    /// <param name="data">The payload.</param>
    /// <param name="options">Serializer options; <see cref="JsonSerializerOptions.Web"/> when omitted.</param>
    public static NewEvent Create<T>(string topic, string type, T data, JsonSerializerOptions? options = null)
        => new(topic, type, JsonSerializer.SerializeToUtf8Bytes(data, options ?? JsonSerializerOptions.Web), validateData: false);

    /// <summary>The topic to publish to.</summary>
    public string Topic { get; }

    /// <summary>The application-defined event type.</summary>
    public string Type { get; }

    /// <summary>The payload as UTF-8 JSON.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>When the event happened; the hub's clock at publish time when <see langword="null"/> (the default).</summary>
    public DateTimeOffset? Time { get; init; }

    /// <summary>Who produced the event; <see langword="null"/> (the default) when not said.</summary>
    public string? Source { get; init; }

    /// <summary>
    /// Names this publish so that a retry of it is stored once: the log answers an event whose key it stored within the
    /// last 2 minutes (the JetStream log: its duplicate window) with the event it stored, same id, instead of storing it
    /// again. Keys are the producer's to make unique (a UUID per publish, say).
    /// At most <see cref="MaxIdempotencyKeyLength"/> printable ASCII characters. Default <see langword="null"/>: no key.
    /// </summary>
    /// <exception cref="ArgumentException">The key is empty, too long, or not printable ASCII.</exception>
    public string? IdempotencyKey
    {
        get => _idempotencyKey;
        init
        {
            if (value is not null && !IsValidIdempotencyKey(value))
            {
                throw new ArgumentException($"An idempotency key is 1 to {MaxIdempotencyKeyLength} printable ASCII characters.", nameof(value));
            }

            _idempotencyKey = value;
        }
    }

    /// <summary>The longest <see cref="IdempotencyKey"/> accepted (128).</summary>
    public const int MaxIdempotencyKeyLength = 128;

    private readonly string? _idempotencyKey;

    /// <summary>Whether <paramref name="key"/> may be an <see cref="IdempotencyKey"/>: 1 to 128 printable ASCII characters.</summary>
    /// <param name="key">The candidate.</param>
    public static bool IsValidIdempotencyKey(string key)
        => key is { Length: > 0 and <= MaxIdempotencyKeyLength } && key.All(c => c is > ' ' and < (char)0x7F);

    /// <summary>A copy carrying <paramref name="key"/>; the data is shared, not copied.</summary>
    internal NewEvent WithIdempotencyKey(string key) => new(Topic, Type, Data, validateData: false) { Time = Time, Source = Source, IdempotencyKey = key };

    /// <summary>A copy stamped with <paramref name="time"/>; the data is shared, not copied.</summary>
    internal NewEvent WithTime(DateTimeOffset time) => new(Topic, Type, Data, validateData: false) { Time = time, Source = Source, IdempotencyKey = IdempotencyKey };

    private static ReadOnlyMemory<byte> RawJson(JsonElement data)
        => data.ValueKind == JsonValueKind.Undefined
            ? EventJson.Null
            : JsonMarshal.GetRawUtf8Value(data).ToArray();
}
