using System.Text.Json;

namespace Herald.Internal.Http;

// The JSON shapes of the REST API, also what the OpenAPI document describes.

/// <summary>An event to publish.</summary>
internal sealed record EventInputDocument(string Topic, string Type, JsonElement? Data, DateTimeOffset? Time, string? Source);

/// <summary>The answer to a publish.</summary>
internal sealed record PublishedDocument(long[] Ids);

/// <summary>The answer to a direct message.</summary>
internal sealed record SessionSendDocument(bool Delivered, bool Queued);

/// <summary>Who the caller is (<c>GET /api/me</c>); <see cref="Grants"/> is null when it is not authenticated.</summary>
internal sealed record MeDocument(bool AuthRequired, bool Authenticated, string? Subject, DateTimeOffset? ExpiresAt, GrantsDocument? Grants);

/// <summary>What a user may do.</summary>
internal sealed record GrantsDocument(IReadOnlyList<string> Subscribe, IReadOnlyList<string> Publish, bool Messages, bool Admin);

/// <summary>Overall and per-component health; <c>Node</c> names this node (<c>Herald:NodeId</c>).</summary>
internal sealed record HealthDocument(string Status, string Node, Dictionary<string, ComponentHealth> Components);

/// <summary>One component's health.</summary>
internal sealed record ComponentHealth(string Status, string? Error, Dictionary<string, object> Details);

/// <summary>An open connection, and the node that holds it.</summary>
internal sealed record ConnectionDocument(
    string Node,
    string Id,
    string SessionId,
    string? User,
    DateTimeOffset ConnectedAt,
    DateTimeOffset LastSeen,
    string? RemoteAddress,
    string? UserAgent,
    IReadOnlyList<string> Subscriptions,
    Dictionary<string, JsonElement> Items)
{
    public static ConnectionDocument From(string node, IHeraldConnection c)
        => new(node, c.Id, c.SessionId, c.UserId, c.ConnectedAt, c.LastSeen, c.RemoteAddress?.ToString(), c.UserAgent, c.Subscriptions, ReadItems(c));

    private static Dictionary<string, JsonElement> ReadItems(IHeraldConnection c)
    {
        var items = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, value) in c.Items)
        {
            try
            {
                items[key] = JsonSerializer.SerializeToElement(value, JsonSerializerOptions.Web);
            }
            catch (NotSupportedException)
            {
                // Application values need not be serializable; show what they are instead.
                items[key] = JsonSerializer.SerializeToElement(value?.ToString(), JsonSerializerOptions.Web);
            }
        }

        return items;
    }
}
