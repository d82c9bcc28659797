using System.Security.Claims;

namespace Herald;

/// <summary>
/// What an authenticated user may do, read from its claims (<see cref="HeraldClaims"/>): the topic patterns it may
/// subscribe to and publish to, whether it may send direct messages, and whether it administers the hub.
/// </summary>
public sealed class HeraldGrants
{
    private HeraldGrants(IReadOnlyList<TopicFilter> subscribe, IReadOnlyList<TopicFilter> publish, bool messages, bool admin)
    {
        Subscribe = subscribe;
        Publish = publish;
        Messages = messages;
        Admin = admin;
    }

    /// <summary>Everything: what everyone may do while authentication is off.</summary>
    public static HeraldGrants All { get; } = new([TopicFilter.All], [TopicFilter.All], messages: true, admin: true);

    /// <summary>Patterns the user may subscribe to and read the history of.</summary>
    public IReadOnlyList<TopicFilter> Subscribe { get; }

    /// <summary>Patterns the user may publish to.</summary>
    public IReadOnlyList<TopicFilter> Publish { get; }

    /// <summary>Whether the user may send direct messages to sessions.</summary>
    public bool Messages { get; }

    /// <summary>Whether the user administers the hub (connections, sessions, metrics); an admin may also do everything else.</summary>
    public bool Admin { get; }

    /// <summary>Reads the grants from <paramref name="user"/>'s claims; patterns that do not parse are ignored.</summary>
    /// <param name="user">The authenticated user.</param>
    public static HeraldGrants From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var admin = IsTrue(user, HeraldClaims.Admin);
        return new HeraldGrants(
            admin ? [TopicFilter.All] : Patterns(user, HeraldClaims.Subscribe),
            admin ? [TopicFilter.All] : Patterns(user, HeraldClaims.Publish),
            admin || IsTrue(user, HeraldClaims.Messages),
            admin);
    }

    /// <summary>Whether the user may subscribe to <paramref name="pattern"/>: a granted pattern covers it.</summary>
    /// <param name="pattern">The pattern asked for.</param>
    public bool CanSubscribe(TopicFilter pattern) => Covered(Subscribe, pattern);

    /// <summary>Whether the user may read <paramref name="topic"/>'s events.</summary>
    /// <param name="topic">A topic.</param>
    public bool CanRead(string topic) => Subscribe.Any(f => f.Matches(topic));

    /// <summary>Whether the user may publish to <paramref name="topic"/>.</summary>
    /// <param name="topic">A topic.</param>
    public bool CanPublish(string topic) => Publish.Any(f => f.Matches(topic));

    private static bool Covered(IReadOnlyList<TopicFilter> granted, TopicFilter pattern)
    {
        foreach (var filter in granted)
        {
            if (filter.Covers(pattern))
            {
                return true;
            }
        }

        return false;
    }

    private static List<TopicFilter> Patterns(ClaimsPrincipal user, string type)
    {
        var patterns = new List<TopicFilter>();
        foreach (var claim in user.FindAll(type))
        {
            if (TopicFilter.TryParse(claim.Value, out var filter, out _) && !patterns.Contains(filter))
            {
                patterns.Add(filter);
            }
        }

        return patterns;
    }

    private static bool IsTrue(ClaimsPrincipal user, string type)
        => user.FindAll(type).Any(c => string.Equals(c.Value, "true", StringComparison.OrdinalIgnoreCase));
}
