using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Herald.Internal.Protocol;

namespace Herald.Tests;

/// <summary>
/// One frame for <see cref="ProtocolFrames"/> to write: its type and the fields it carries, with raw JSON for
/// <c>ref</c> and <c>data</c>. <see cref="Generator"/> makes random ones for property tests.
/// </summary>
public sealed record ProtocolFrameCase(
    string Type,
    IReadOnlyList<string>? Topics,
    long? Since,
    string? RefJson,
    string? DataJson,
    DateTimeOffset? Timestamp,
    bool DataAsElement)
{
    /// <summary>Characters that need escaping or are not ASCII, wildcards, separators and any other non-surrogate UTF-16 unit.</summary>
    private static Gen<string> Pieces { get; } = Gen.OneOf(
        Gen.Elements("a", "Z", "0", "/", "+", "#", ",", " ", "\"", "\\", "\n", "\t", "\0", "\u007f", "é", "日本", "😀", "\u2028"),
        Gen.Choose(0x20, 0xD7FF).Select(c => ((char)c).ToString()));

    private static Gen<string> Texts { get; } = Pieces.ListOf().Select(string.Concat);

    private static Gen<long> Ids { get; } =
        from high in Gen.Choose(0, int.MaxValue)
        from low in Gen.Choose(0, int.MaxValue)
        select ((long)high << 31) | (uint)low;

    private static Gen<DateTimeOffset> Times { get; } =
        from seconds in Gen.Choose(0, int.MaxValue)
        from offsetHours in Gen.Choose(-12, 14)
        select DateTimeOffset.FromUnixTimeSeconds(seconds).ToOffset(TimeSpan.FromHours(offsetHours));

    /// <summary>Any JSON value, nested a few levels deep, as minified UTF-8 text.</summary>
    private static Gen<string> JsonValues { get; } = Gen.Sized(size => Json(Math.Min(size, 8))).Select(node => node?.ToJsonString() ?? "null");

    /// <summary>A ref as the protocol allows it: a string, a number, or any other JSON value.</summary>
    private static Gen<string> Refs { get; } = Gen.Frequency(
        (4, Texts.Select(s => Encoding.UTF8.GetString(ProtocolFrames.Ref(s)))),
        (2, Ids.Select(id => id.ToString(CultureInfo.InvariantCulture))),
        (1, JsonValues));

    /// <summary>Random frames of every type the encoder writes, with awkward topics, refs and data (declared after the generators it uses: statics initialize in order).</summary>
    public static Gen<ProtocolFrameCase> Generator { get; } = Gen.OneOf(
        from timestamp in Optional(Times)
        from reference in Optional(Refs)
        from pong in Gen.Elements(false, true)
        select new ProtocolFrameCase(pong ? "pong" : "ping", null, null, reference, null, timestamp, false),
        from data in JsonValues
        from reference in Optional(Refs)
        from asElement in Gen.Elements(false, true)
        select new ProtocolFrameCase("message", null, null, reference, data, null, asElement),
        from topics in Texts.ListOf()
        from since in Optional(Ids)
        from reference in Optional(Refs)
        select new ProtocolFrameCase("subscribe", [.. topics], since, reference, null, null, false),
        from topics in Texts.ListOf()
        from reference in Optional(Refs)
        select new ProtocolFrameCase("unsubscribe", [.. topics], null, reference, null, null, false),
        from data in JsonValues
        from reference in Optional(Refs)
        select new ProtocolFrameCase("publish", null, null, reference, data, null, false));

    /// <summary>Writes the frame with the encoder.</summary>
    public byte[] Write()
    {
        var reference = RefJson is null ? [] : Encoding.UTF8.GetBytes(RefJson);
        var data = DataJson is null ? [] : Encoding.UTF8.GetBytes(DataJson);
        switch (Type)
        {
            case "ping":
                return ProtocolFrames.Ping(Timestamp, reference);
            case "pong":
                return ProtocolFrames.Pong(Timestamp, reference);
            case "message" when DataAsElement:
                using (var document = JsonDocument.Parse(data))
                {
                    return ProtocolFrames.Message(document.RootElement, reference);
                }

            case "message":
                return ProtocolFrames.Message(data, reference);
            case "subscribe":
                return ProtocolFrames.Subscribe(Topics!, Since, reference);
            case "unsubscribe":
                return ProtocolFrames.Unsubscribe(Topics!, reference);
            case "publish":
                return ProtocolFrames.Publish(data, reference);
            default:
                throw new InvalidOperationException($"No encoder method for '{Type}'.");
        }
    }

    /// <inheritdoc />
    public override string ToString()
        => $"{Type} topics=[{string.Join(" | ", Topics ?? [])}] since={Since} ref={RefJson} data={DataJson} timestamp={Timestamp:O} asElement={DataAsElement}";

    private static Gen<T?> Optional<T>(Gen<T> value)
        where T : struct
        => Gen.OneOf(Gen.Constant<T?>(null), value.Select(v => (T?)v));

    private static Gen<string?> Optional(Gen<string> value)
        => Gen.OneOf(Gen.Constant<string?>(null), value.Select(v => (string?)v));

    private static Gen<JsonNode?> Json(int size)
    {
        var leaf = Gen.OneOf(
            Gen.Constant<JsonNode?>(null),
            Gen.Elements(false, true).Select(b => (JsonNode?)JsonValue.Create(b)),
            Ids.Select(n => (JsonNode?)JsonValue.Create(-n)),
            Gen.Choose(int.MinValue, int.MaxValue).Select(n => (JsonNode?)JsonValue.Create(n / 1000.0)),
            Texts.Select(s => (JsonNode?)JsonValue.Create(s)));
        if (size <= 0)
        {
            return leaf;
        }

        var child = Json(size / 2);
        var array = child.ListOf().Select(items => (JsonNode?)new JsonArray([.. items]));
        var obj = Gen.Zip(Texts, child).ListOf().Select(pairs =>
        {
            var result = new JsonObject();
            foreach (var (key, value) in pairs)
            {
                result.TryAdd(key, value);
            }

            return (JsonNode?)result;
        });
        return Gen.OneOf(leaf, array, obj);
    }
}
