using System.Text.Json;

namespace Herald.Client;

/// <summary>An event to publish.</summary>
/// <param name="Topic">The topic, for example <c>cameras/front</c> (no wildcards).</param>
/// <param name="Type">The event type, for example <c>motion</c>.</param>
/// <param name="Data">The data: any JSON value.</param>
/// <param name="Source">Who publishes it; optional.</param>
/// <param name="Time">When it happened; the server's clock when null.</param>
public sealed record OutgoingEvent(string Topic, string Type, JsonElement Data, string? Source = null, DateTimeOffset? Time = null);
