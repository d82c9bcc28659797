namespace Herald.Tests;

public sealed class TopicFilterTests
{
    [Theory]
    [InlineData("a/+", "a/x", true)]
    [InlineData("a/+", "a", false)]
    [InlineData("a/+", "a/x/y", false)]
    [InlineData("+/x", "a/x", true)]
    [InlineData("+/x", "a/y", false)]
    [InlineData("+", "a", true)]
    [InlineData("+", "a/b", false)]
    [InlineData("a/+/c", "a/b/c", true)]
    [InlineData("a/+/c", "a/b", false)]
    [InlineData("a/#", "a", true)]
    [InlineData("a/#", "a/b", true)]
    [InlineData("a/#", "a/b/c/d", true)]
    [InlineData("a/#", "ab", false)]
    [InlineData("a/#", "b/a", false)]
    [InlineData("+/#", "a", true)]
    [InlineData("+/#", "a/b/c", true)]
    [InlineData("a/+/#", "a", false)]
    [InlineData("a/+/#", "a/b", true)]
    [InlineData("#", "anything/at/all", true)]
    [InlineData("a/b", "a/b", true)]
    [InlineData("a/b", "a/b/c", false)]
    [InlineData("a/b", "a", false)]
    [InlineData("A/b", "a/b", false)]
    public void MatchesFollowsMqttWildcardRules(string pattern, string topic, bool expected)
    {
        Assert.Equal(expected, TopicFilter.Parse(pattern).Matches(topic));
    }

    [Theory]
    [InlineData("a/#/b", "last segment")]
    [InlineData("a+", "stand alone")]
    [InlineData("a/b#", "stand alone")]
    [InlineData("a//b", "empty segment")]
    [InlineData("/a", "empty segment")]
    [InlineData("a/", "empty segment")]
    [InlineData("a/ ", "%2B")]
    [InlineData("a b", "whitespace")]
    [InlineData("a/\tb", "whitespace")]
    [InlineData("", "must not be empty")]
    public void InvalidPatternsAreRejectedWithTheReason(string pattern, string reason)
    {
        Assert.False(TopicFilter.TryParse(pattern, out var filter, out var error));
        Assert.Null(filter);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Contains(reason, Assert.Throws<FormatException>(() => TopicFilter.Parse(pattern)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooLongPatternIsRejected()
    {
        Assert.False(TopicFilter.TryParse(new string('a', TopicName.MaxLength + 1), out _, out var error));
        Assert.Contains("at most", error, StringComparison.Ordinal);
        Assert.True(TopicFilter.TryParse(new string('a', TopicName.MaxLength), out _, out _));
    }

    [Fact]
    public void IsExactOnlyWithoutWildcards()
    {
        Assert.True(TopicFilter.Parse("a/b").IsExact);
        Assert.False(TopicFilter.Parse("a/+").IsExact);
        Assert.False(TopicFilter.Parse("a/#").IsExact);
        Assert.Same(TopicFilter.All, TopicFilter.Parse("#"));
    }

    [Fact]
    public void ParseListSplitsOnCommasAndDropsDuplicates()
    {
        Assert.True(TopicFilter.TryParseList("a/+,b/#,a/+", out var filters, out _));
        Assert.Equal(["a/+", "b/#"], filters.Select(f => f.Pattern));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void EmptyListMeansEveryTopic(string? patterns)
    {
        Assert.True(TopicFilter.TryParseList(patterns, out var filters, out _));
        Assert.Equal([TopicFilter.All], filters);
    }

    [Fact]
    public void ListWithOneBadPatternIsRejected()
    {
        Assert.False(TopicFilter.TryParseList("a,b/#/c", out var filters, out var error));
        Assert.Empty(filters);
        Assert.Contains("b/#/c", error, StringComparison.Ordinal);
        Assert.False(TopicFilter.TryParseList("a,,b", out _, out _));
    }

    [Fact]
    public void FiltersAreEqualByPattern()
    {
        Assert.Equal(TopicFilter.Parse("a/+"), TopicFilter.Parse("a/+"));
        Assert.Equal(TopicFilter.Parse("a/+").GetHashCode(), TopicFilter.Parse("a/+").GetHashCode());
        Assert.NotEqual(TopicFilter.Parse("a/+"), TopicFilter.Parse("a/#"));
        Assert.Equal("a/+", TopicFilter.Parse("a/+").ToString());
    }
}
