namespace Herald;

/// <summary>Rules for topic names: <c>/</c>-separated, non-empty segments, no wildcards, no whitespace.</summary>
public static class TopicName
{
    /// <summary>The longest topic or pattern accepted, in characters (256).</summary>
    public const int MaxLength = 256;

    /// <summary>Whether <paramref name="topic"/> is a valid topic name to publish to.</summary>
    /// <param name="topic">The candidate.</param>
    /// <param name="error">Why it is invalid.</param>
    public static bool IsValid(string? topic, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        if (!CheckCommon(topic, out error))
        {
            return false;
        }

        if (topic.Contains('+') || topic.Contains('#'))
        {
            error = $"Topic '{topic}' contains a wildcard ('+' or '#'); wildcards belong in subscriptions only.";
            return false;
        }

        if (topic.Split('/').Any(s => s.Length == 0))
        {
            error = $"Topic '{topic}' has an empty segment.";
            return false;
        }

        return true;
    }

    /// <summary>Throws when <paramref name="topic"/> is not a valid topic name.</summary>
    /// <param name="topic">The candidate.</param>
    /// <exception cref="ArgumentException">The topic is invalid.</exception>
    public static void Validate(string topic)
    {
        if (!IsValid(topic, out var error))
        {
            throw new ArgumentException(error, nameof(topic));
        }
    }

    internal static bool CheckCommon([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? value, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        if (string.IsNullOrEmpty(value))
        {
            error = "A topic must not be empty.";
            return false;
        }

        if (value.Length > MaxLength)
        {
            error = $"A topic must be at most {MaxLength} characters.";
            return false;
        }

        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                error = $"Topic '{value}' contains whitespace. In a URL, write '+' as %2B and '#' as %23: a literal '+' in a query string decodes to a space.";
                return false;
            }
        }

        error = null;
        return true;
    }
}
