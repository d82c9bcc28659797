namespace Herald;

/// <summary>
/// A subscription pattern over <c>/</c>-separated topics, as in MQTT: <c>+</c> matches exactly one
/// segment and <c>#</c>, allowed only as the last segment, matches the rest (zero or more segments).
/// </summary>
public sealed class TopicFilter : IEquatable<TopicFilter>
{
    /// <summary>The filter that matches every topic (<c>#</c>).</summary>
    public static TopicFilter All { get; } = new("#", ["#"]);

    private readonly string[] _segments;

    private TopicFilter(string pattern, string[] segments)
    {
        Pattern = pattern;
        _segments = segments;
        IsExact = !segments.Any(s => s is "+" or "#");
    }

    /// <summary>The pattern text, such as <c>cameras/+/motion</c>.</summary>
    public string Pattern { get; }

    /// <summary>True when the pattern has no wildcards and so matches exactly one topic.</summary>
    public bool IsExact { get; }

    /// <summary>Parses a pattern.</summary>
    /// <param name="pattern">The pattern text.</param>
    /// <exception cref="FormatException">The pattern is invalid; the message says why.</exception>
    public static TopicFilter Parse(string pattern)
        => TryParse(pattern, out var filter, out var error) ? filter : throw new FormatException(error);

    /// <summary>Parses a pattern, returning false and the reason when it is invalid.</summary>
    /// <param name="pattern">The pattern text.</param>
    /// <param name="filter">The parsed filter.</param>
    /// <param name="error">Why the pattern is invalid.</param>
    public static bool TryParse(string? pattern, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TopicFilter? filter, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        filter = null;
        if (pattern == "#")
        {
            filter = All;
            error = null;
            return true;
        }

        if (!TopicName.CheckCommon(pattern, out error))
        {
            return false;
        }

        var segments = pattern.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.Length == 0)
            {
                error = $"Topic pattern '{pattern}' has an empty segment.";
                return false;
            }

            if (segment.Length > 1 && (segment.Contains('+') || segment.Contains('#')))
            {
                error = $"Topic pattern '{pattern}': '+' and '#' must stand alone in a segment.";
                return false;
            }

            if (segment == "#" && i != segments.Length - 1)
            {
                error = $"Topic pattern '{pattern}': '#' is allowed only as the last segment.";
                return false;
            }
        }

        filter = new TopicFilter(pattern, segments);
        return true;
    }

    /// <summary>Parses a comma-separated list of patterns, such as a <c>topics=</c> query value.</summary>
    /// <param name="patterns">The list; <see langword="null"/> or empty means every topic.</param>
    /// <param name="filters">The parsed filters, without duplicates.</param>
    /// <param name="error">Why the list is invalid.</param>
    public static bool TryParseList(string? patterns, out IReadOnlyList<TopicFilter> filters, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        if (string.IsNullOrEmpty(patterns))
        {
            filters = [All];
            error = null;
            return true;
        }

        var list = new List<TopicFilter>();
        foreach (var part in patterns.Split(','))
        {
            if (!TryParse(part, out var filter, out error))
            {
                filters = [];
                return false;
            }

            if (!list.Contains(filter))
            {
                list.Add(filter);
            }
        }

        filters = list;
        error = null;
        return true;
    }

    /// <summary>Whether <paramref name="topic"/> matches this pattern.</summary>
    /// <param name="topic">A topic name (no wildcards).</param>
    public bool Matches(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (IsExact)
        {
            return string.Equals(Pattern, topic, StringComparison.Ordinal);
        }

        var rest = topic.AsSpan();
        for (var i = 0; i < _segments.Length; i++)
        {
            var segment = _segments[i];
            if (segment == "#")
            {
                return true;
            }

            if (rest.Length == 0 && i > 0)
            {
                return false;
            }

            var slash = rest.IndexOf('/');
            var current = slash < 0 ? rest : rest[..slash];
            if (segment != "+" && !current.SequenceEqual(segment))
            {
                return false;
            }

            if (slash < 0)
            {
                // Topic exhausted: a match only if the pattern ends here or with a trailing '#'.
                return i == _segments.Length - 1 || (i == _segments.Length - 2 && _segments[^1] == "#");
            }

            rest = rest[(slash + 1)..];
        }

        return false;
    }

    /// <summary>
    /// Whether every topic <paramref name="other"/> matches, this pattern matches too: <c>cams/#</c> covers
    /// <c>cams/+/motion</c> and <c>cams</c>, <c>cams/+</c> covers <c>cams/front</c> but not <c>cams/#</c>. Grants
    /// are checked this way, so a subscription is allowed only when a granted pattern covers it.
    /// </summary>
    /// <param name="other">The pattern asked for.</param>
    public bool Covers(TopicFilter other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var theirs = other._segments;
        for (var i = 0; ; i++)
        {
            if (i < _segments.Length && _segments[i] == "#")
            {
                return true;
            }

            if (i == theirs.Length || i == _segments.Length)
            {
                return i == theirs.Length && i == _segments.Length;
            }

            var mine = _segments[i];
            var asked = theirs[i];
            if (asked is "#" || (asked is "+" && mine is not "+") || (mine is not "+" && !string.Equals(mine, asked, StringComparison.Ordinal)))
            {
                return false;
            }
        }
    }

    /// <inheritdoc />
    public bool Equals(TopicFilter? other) => other is not null && string.Equals(Pattern, other.Pattern, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TopicFilter);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Pattern);

    /// <inheritdoc />
    public override string ToString() => Pattern;
}
