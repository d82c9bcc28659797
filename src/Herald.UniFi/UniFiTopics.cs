namespace Herald.UniFi;

/// <summary>The Herald topics UniFi events are published to.</summary>
public static class UniFiTopics
{
    /// <summary>The topic for a site's WiFi events: <c>unifi/{site}/wifi</c>.</summary>
    /// <param name="site">The site: a single topic segment, so no <c>/</c>, wildcard or whitespace.</param>
    /// <exception cref="ArgumentException"><paramref name="site"/> is empty or cannot be a topic segment.</exception>
    public static string ForSite(string site)
    {
        ArgumentException.ThrowIfNullOrEmpty(site);
        foreach (var c in site)
        {
            // These would split the segment or turn the topic into a subscription pattern.
            if (c is '/' or '+' or '#' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                throw new ArgumentException($"Site '{site}' cannot be a topic segment: it contains '{c}'.", nameof(site));
            }
        }

        return $"unifi/{site}/wifi";
    }
}
